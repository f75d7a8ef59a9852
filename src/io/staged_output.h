// One output of a command (a file or a compile directory), written in two steps so that a command
// writes all its outputs or none: stage() does everything that can fail, commit() only renames.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "arenaplan/io.h"

namespace arenaplan {

class StagedOutput {
 public:
  StagedOutput(std::string option_name, std::string shown_name)
      : option(std::move(option_name)), shown(std::move(shown_name)) {}
  virtual ~StagedOutput() = default;
  // Checks the target (never one of `inputs`), writes the content in full beside it and fsyncs.
  virtual void stage(const std::vector<std::string>& inputs) = 0;
  // Puts the staged content in place.
  virtual void commit() = 0;
  // Undoes stage() (removes what it wrote); harmless when nothing was staged.
  virtual void discard() noexcept = 0;
  // Where the output goes, symlinks followed (valid after stage()).
  virtual std::filesystem::path destination() const = 0;

  const std::string option;  // "-o", "--map": for messages
  const std::string shown;   // the path as the user typed it
};

// A file: a regular file (or none yet) is replaced by renaming a temporary file over it; a
// device or FIFO is written through; a symlink is followed to its target.
std::unique_ptr<StagedOutput> staged_file(std::string option, std::string path, std::string content);
// The same, the content written by `write` as it makes it (never held whole).
std::unique_ptr<StagedOutput> staged_file(std::string option, std::string path,
                                          std::function<void(std::ostream&)> write);

// A compile output directory (output_dir.cpp).
std::unique_ptr<StagedOutput> staged_directory(std::string option, std::string dir, std::vector<OutputFile> files);

}  // namespace arenaplan
