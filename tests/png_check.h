// A minimal PNG decoder (8-bit RGB/RGBA, non-interlaced, as Chromium writes screenshots), enough
// to check that a screenshot is not blank and shows the colours the map should draw.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

namespace arenaplan::test {

struct Image {
  std::uint32_t width = 0, height = 0;
  std::vector<std::uint8_t> rgb;  // width * height * 3
  std::uint32_t pixel(std::uint32_t x, std::uint32_t y) const {
    const std::size_t at = (static_cast<std::size_t>(y) * width + x) * 3;
    return (std::uint32_t{rgb[at]} << 16) | (std::uint32_t{rgb[at + 1]} << 8) | rgb[at + 2];
  }
};

inline std::optional<Image> decode_png(const std::string& file) {
  auto u32 = [&](std::size_t at) {
    return (std::uint32_t{static_cast<std::uint8_t>(file[at])} << 24) |
           (std::uint32_t{static_cast<std::uint8_t>(file[at + 1])} << 16) |
           (std::uint32_t{static_cast<std::uint8_t>(file[at + 2])} << 8) |
           std::uint32_t{static_cast<std::uint8_t>(file[at + 3])};
  };
  if (file.size() < 8 || file.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) return std::nullopt;
  Image image;
  int depth = 0, colour = 0, interlace = 0;
  std::string data;
  for (std::size_t at = 8; at + 12 <= file.size();) {
    const std::uint32_t length = u32(at);
    const std::string type = file.substr(at + 4, 4);
    if (at + 12 + length > file.size()) return std::nullopt;
    if (type == "IHDR") {
      image.width = u32(at + 8);
      image.height = u32(at + 12);
      depth = static_cast<std::uint8_t>(file[at + 16]);
      colour = static_cast<std::uint8_t>(file[at + 17]);
      interlace = static_cast<std::uint8_t>(file[at + 20]);
    } else if (type == "IDAT") {
      data += file.substr(at + 8, length);
    } else if (type == "IEND") {
      break;
    }
    at += 12 + length;
  }
  if (depth != 8 || (colour != 2 && colour != 6) || interlace != 0 || image.width == 0 || image.height == 0)
    return std::nullopt;
  const std::size_t channels = colour == 6 ? 4 : 3, stride = image.width * channels;
  std::vector<std::uint8_t> raw((stride + 1) * image.height);
  uLongf raw_size = static_cast<uLongf>(raw.size());
  if (uncompress(raw.data(), &raw_size, reinterpret_cast<const Bytef*>(data.data()), static_cast<uLong>(data.size())) !=
          Z_OK ||
      raw_size != raw.size())
    return std::nullopt;
  std::vector<std::uint8_t> prev(stride, 0), line(stride);
  image.rgb.reserve(static_cast<std::size_t>(image.width) * image.height * 3);
  for (std::uint32_t y = 0; y < image.height; ++y) {
    const std::uint8_t filter = raw[y * (stride + 1)];
    const std::uint8_t* in = &raw[y * (stride + 1) + 1];
    for (std::size_t i = 0; i < stride; ++i) {
      const int a = i >= channels ? line[i - channels] : 0, b = prev[i], c = i >= channels ? prev[i - channels] : 0;
      int predicted = 0;
      switch (filter) {
        case 0: predicted = 0; break;
        case 1: predicted = a; break;
        case 2: predicted = b; break;
        case 3: predicted = (a + b) / 2; break;
        case 4: {
          const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
          predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default: return std::nullopt;
      }
      line[i] = static_cast<std::uint8_t>(in[i] + predicted);
    }
    for (std::uint32_t x = 0; x < image.width; ++x)
      for (std::size_t k = 0; k < 3; ++k) image.rgb.push_back(line[x * channels + k]);
    prev = line;
  }
  return image;
}

}  // namespace arenaplan::test
