// The outputs of one command, written all or none: every output is staged first (checked, written
// in full beside its target and fsynced); only when all are staged are they put in place. No
// output may be one of the command's input files, and no two outputs may be the same file.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "arenaplan/io.h"
#include "io/staged_output.h"

namespace arenaplan {

class Outputs {
 public:
  explicit Outputs(std::vector<std::string> inputs) : inputs_(std::move(inputs)) {}

  // `option` names the output in messages ("-o", "--map").
  void add_file(std::string option, std::string path, std::string content);
  // A file whose content `write` makes when it is staged (and again when it is written through to
  // a device): for a plan of a million buffers, never held whole. `write` must give the same
  // bytes each time and outlive write().
  void add_streamed_file(std::string option, std::string path, std::function<void(std::ostream&)> write);
  void add_directory(std::string option, std::string dir, std::vector<OutputFile> files);

  // Stages every output, then commits them; throws InputError with nothing written when one
  // cannot be staged.
  void write();

 private:
  std::vector<std::string> inputs_;
  std::vector<std::unique_ptr<StagedOutput>> outputs_;
};

}  // namespace arenaplan
