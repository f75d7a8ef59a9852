#include "io/outputs.h"

#include <fmt/format.h>

#include "arenaplan/error.h"

namespace arenaplan {

void Outputs::add_file(std::string option, std::string path, std::string content) {
  outputs_.push_back(staged_file(std::move(option), std::move(path), std::move(content)));
}

void Outputs::add_streamed_file(std::string option, std::string path, std::function<void(std::ostream&)> write) {
  outputs_.push_back(staged_file(std::move(option), std::move(path), std::move(write)));
}

void Outputs::add_directory(std::string option, std::string dir, std::vector<OutputFile> files) {
  outputs_.push_back(staged_directory(std::move(option), std::move(dir), std::move(files)));
}

void Outputs::write() {
  try {
    for (std::size_t k = 0; k < outputs_.size(); ++k) {
      outputs_[k]->stage(inputs_);
      std::error_code ec;
      const std::filesystem::path here = std::filesystem::weakly_canonical(outputs_[k]->destination(), ec);
      for (std::size_t j = 0; j < k; ++j)
        if (std::filesystem::weakly_canonical(outputs_[j]->destination(), ec) == here)
          throw InputError(fmt::format("{}: named by both {} and {} (give each output its own file)",
                                       outputs_[k]->shown, outputs_[j]->option, outputs_[k]->option));
    }
  } catch (...) {
    for (auto& output : outputs_) output->discard();
    throw;
  }
  // Only renames (or writing through to a device) are left, which staging has made all but sure.
  for (auto& output : outputs_) output->commit();
}

void write_file_atomically(const std::string& path, const std::string& content) {
  Outputs outputs({});
  outputs.add_file("-o", path, content);
  outputs.write();
}

void write_directory_atomically(const std::string& dir, const std::vector<OutputFile>& files) {
  Outputs outputs({});
  outputs.add_directory("-o", dir, files);
  outputs.write();
}

}  // namespace arenaplan
