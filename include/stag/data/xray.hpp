#pragma once
// The homework's X-ray layout: <root>/{train,validation,test}/*.png, the class given by the character
// before the extension (b, c, l or h). Every PNG, whatever its size, bit depth or colour type, becomes an
// 8-bit grey image, is resampled to the network's input H×W (data/resize.hpp) and scaled by 1/255: one
// normalisation for all splits.
#include <png.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

#include "stag/core/error.hpp"
#include "stag/data/dataset.hpp"
#include "stag/data/files.hpp"
#include "stag/data/resize.hpp"

namespace stag::data {

inline const std::vector<std::string> xray_classes{"b", "c", "l", "h"};

// An 8-bit grey PNG as floats in [0, 255], with its size.
struct grey_image {
    std::size_t height = 0, width = 0;
    std::vector<float> pixels;
};

// A PNG held in memory as 8-bit grey; `name` names the file in errors. The header's size is checked against
// what the compressed data can hold (deflate expands at most 1032:1) before anything is allocated. 16-bit
// images without colour-space information are taken as the grey values they are (PNG_IMAGE_FLAG_16BIT_sRGB),
// not as linear light, so a 16-bit radiograph loads as its 8-bit twin does. Colour and alpha are converted as
// Keras' load_img(color_mode="grayscale") does (PIL's convert("L")), so a network trained there sees here the
// pixels it saw there: alpha is ignored (not composited on any background) and grey is ITU-R 601 luma on the
// stored sRGB values, L = (299 R + 587 G + 114 B) / 1000 in PIL's fixed point.
inline grey_image parse_png_grey(const std::vector<std::uint8_t>& file, const std::string& name) {
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&image, file.data(), file.size()))
        throw file_error(name, std::string("unreadable PNG (") + image.message + ")");
    const std::uint64_t pixels = std::uint64_t{image.width} * image.height;
    const std::uint64_t raw_bytes = pixels * PNG_IMAGE_SAMPLE_CHANNELS(image.format) * PNG_IMAGE_SAMPLE_COMPONENT_SIZE(image.format);
    if (pixels > max_pixels_per_image || double(raw_bytes) > 1032.0 * double(file.size())) {
        png_image_free(&image);
        throw file_error(name, "PNG header claims " + std::to_string(image.width) + "x" + std::to_string(image.height) + " pixels, more than " +
                                   (pixels > max_pixels_per_image ? with_thousands(max_pixels_per_image) + " pixels"
                                                                  : "its " + with_thousands(file.size()) + " bytes can hold"));
    }
    // 8-bit samples with the file's own colour and alpha channels: asked for fewer, libpng would composite
    // alpha onto black and convert colour to grey in linear light.
    image.format &= PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA;
    image.flags |= PNG_IMAGE_FLAG_16BIT_sRGB;
    const std::size_t channels = PNG_IMAGE_SAMPLE_CHANNELS(image.format);
    std::vector<png_byte> buffer(PNG_IMAGE_SIZE(image));
    if (!png_image_finish_read(&image, nullptr, buffer.data(), 0, nullptr)) {
        const std::string why = image.message;
        png_image_free(&image);
        throw file_error(name, "unreadable PNG (" + why + ")");
    }
    std::vector<float> grey(std::size_t{image.width} * image.height);
    const bool colour = image.format & PNG_FORMAT_FLAG_COLOR;
    for (std::size_t i = 0; i < grey.size(); ++i) {
        const png_byte* p = buffer.data() + i * channels;
        grey[i] = colour ? float((19595u * p[0] + 38470u * p[1] + 7471u * p[2] + 0x8000u) >> 16) : float(p[0]);
    }
    return {image.height, image.width, std::move(grey)};
}

inline grey_image read_png_grey(const std::string& path) { return parse_png_grey(read_file(path), path); }

inline std::size_t xray_class_of(const std::filesystem::path& file) {
    const std::string stem = file.stem().string();
    const char letter = stem.empty() ? '\0' : static_cast<char>(std::tolower(static_cast<unsigned char>(stem.back())));
    for (std::size_t c = 0; c < xray_classes.size(); ++c)
        if (xray_classes[c][0] == letter) return c;
    throw file_error(file.string(), std::string("class letter '") + (letter ? std::string(1, letter) : "") +
                                        "' before the extension is not one of b, c, l, h");
}

inline dataset load_xray_split(const std::filesystem::path& dir, const std::string& name, shape input = {32, 32, 1}) {
    if (input.c != 1) throw error("xray/" + name + ": X-ray images are grey; the network takes " + std::to_string(input.c) + " channels");
    if (!std::filesystem::is_directory(dir)) throw file_error(dir.string(), "no such directory (expected <root>/" + name + "/*.png)");
    std::vector<std::filesystem::path> files;
    std::vector<std::string> skipped;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        std::string ext = entry.path().extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char ch) { return std::tolower(ch); });
        if (entry.is_regular_file() && ext == ".png") files.push_back(entry.path());
        else skipped.push_back(entry.path().filename().string() + (entry.is_directory() ? "/" : ""));
    }
    if (files.empty()) throw file_error(dir.string(), "holds no .png files");
    std::sort(files.begin(), files.end());
    dataset d;
    if (!skipped.empty()) {
        std::sort(skipped.begin(), skipped.end());
        d.note = dir.string() + ": skipped " + std::to_string(skipped.size()) + " entr" + (skipped.size() == 1 ? "y" : "ies") +
                 " that are not .png files:";
        for (std::size_t i = 0; i < std::min<std::size_t>(skipped.size(), 5); ++i) d.note += " " + skipped[i];
        if (skipped.size() > 5) d.note += " …";
    }
    d.name = "xray/" + name;
    d.sample = input;
    d.class_names = xray_classes;
    d.images.resize(files.size() * input.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
        const std::size_t label = xray_class_of(files[i]);
        const grey_image g = read_png_grey(files[i].string());
        float* out = d.images.data() + i * input.size();
        resize_into(g.pixels.data(), g.height, g.width, out, input.h, input.w);
        for (float* v = out; v != out + input.size(); ++v) *v = std::clamp(*v, 0.0f, 255.0f) / 255.0f;
        d.labels.push_back(static_cast<std::uint8_t>(label));
    }
    return d;
}

inline splits load_xray_folders(const std::filesystem::path& root, shape input = {32, 32, 1}) {
    if (!std::filesystem::is_directory(root)) throw file_error(root.string(), "no such directory");
    return {load_xray_split(root / "train", "train", input), load_xray_split(root / "validation", "validation", input),
            load_xray_split(root / "test", "test", input)};
}

}  // namespace stag::data
