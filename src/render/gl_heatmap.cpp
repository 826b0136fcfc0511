#include "render/gl_heatmap.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#ifndef GL_GLEXT_PROTOTYPES
#define GL_GLEXT_PROTOTYPES
#endif
#include <GL/gl.h>
#include <GL/glext.h>

#include "render/embedded_shaders.h"
#include "core/error.h"

namespace attnscope {

// ---------------------------------------------------------------- RAII wrappers

GlTexture GlTexture::create() {
  GlTexture texture;
  glGenTextures(1, &texture.id_);
  return texture;
}
GlTexture::~GlTexture() {
  if (id_) glDeleteTextures(1, &id_);
}
GlTexture& GlTexture::operator=(GlTexture&& other) noexcept {
  if (this != &other) {
    if (id_) glDeleteTextures(1, &id_);
    id_ = other.release();
  }
  return *this;
}

GlVertexArray GlVertexArray::create() {
  GlVertexArray array;
  glGenVertexArrays(1, &array.id_);
  return array;
}
GlVertexArray::~GlVertexArray() {
  if (id_) glDeleteVertexArrays(1, &id_);
}
GlVertexArray& GlVertexArray::operator=(GlVertexArray&& other) noexcept {
  if (this != &other) {
    if (id_) glDeleteVertexArrays(1, &id_);
    id_ = other.release();
  }
  return *this;
}

GlProgram::~GlProgram() {
  if (id_) glDeleteProgram(id_);
}
GlProgram& GlProgram::operator=(GlProgram&& other) noexcept {
  if (this != &other) {
    if (id_) glDeleteProgram(id_);
    id_ = other.release();
  }
  return *this;
}

namespace {

GLuint compile_shader(GLenum kind, std::string_view name, std::string_view source) {
  if (source.empty()) throw Error("shader " + std::string(name) + ": not embedded in the app (missing from shaders/)");
  const GLuint shader = glCreateShader(kind);
  const GLchar* text = source.data();
  const GLint length = static_cast<GLint>(source.size());
  glShaderSource(shader, 1, &text, &length);
  glCompileShader(shader);
  GLint ok = 0;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[2048] = {};
    glGetShaderInfoLog(shader, sizeof log, nullptr, log);
    glDeleteShader(shader);
    throw Error("shader " + std::string(name) + ": compile failed: " + log);
  }
  return shader;
}

}  // namespace

GlProgram GlProgram::compile(std::string_view vertex_name, std::string_view vertex_source,
                             std::string_view fragment_name, std::string_view fragment_source) {
  const GLuint vertex = compile_shader(GL_VERTEX_SHADER, vertex_name, vertex_source);
  GLuint fragment = 0;
  try {
    fragment = compile_shader(GL_FRAGMENT_SHADER, fragment_name, fragment_source);
  } catch (...) {
    glDeleteShader(vertex);
    throw;
  }
  GlProgram program;
  program.id_ = glCreateProgram();
  glAttachShader(program.id_, vertex);
  glAttachShader(program.id_, fragment);
  glLinkProgram(program.id_);
  glDeleteShader(vertex);  // the program keeps what it needs
  glDeleteShader(fragment);
  GLint ok = 0;
  glGetProgramiv(program.id_, GL_LINK_STATUS, &ok);
  if (!ok) {
    char log[2048] = {};
    glGetProgramInfoLog(program.id_, sizeof log, nullptr, log);
    throw Error("shader program " + std::string(vertex_name) + " + " + std::string(fragment_name) +
                ": link failed: " + log);
  }
  return program;
}

// ---------------------------------------------------------------- textures

namespace {

void set_nearest_clamped() {
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
}

GlTexture make_lut_texture(const std::array<Rgb8, kColormapSize>& lut) {
  std::vector<unsigned char> rgba(kColormapSize * 4);  // [256, 4]
  for (int i = 0; i < kColormapSize; ++i) {
    const Rgb8 c = lut[static_cast<size_t>(i)];
    rgba[i * 4 + 0] = c.r;
    rgba[i * 4 + 1] = c.g;
    rgba[i * 4 + 2] = c.b;
    rgba[i * 4 + 3] = 255;
  }
  GlTexture texture = GlTexture::create();
  glBindTexture(GL_TEXTURE_2D, texture.id());
  set_nearest_clamped();
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, kColormapSize, 1, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  return texture;
}

}  // namespace

void HeatmapTexture::upload(const float* values, int rows, int cols) {
  rows = std::max(rows, 0);
  cols = std::max(cols, 0);
  GLint max_side = 0;
  glGetIntegerv(GL_MAX_TEXTURE_SIZE, &max_side);
  // A matrix beyond the GL limit (only on very long contexts) is shown by
  // nearest subsampling rather than failing.
  std::vector<float> shrunk;
  if (rows > max_side || cols > max_side) {
    const int out_rows = std::min(rows, max_side), out_cols = std::min(cols, max_side);
    shrunk.resize(static_cast<size_t>(out_rows) * static_cast<size_t>(out_cols));
    for (int r = 0; r < out_rows; ++r)
      for (int c = 0; c < out_cols; ++c)
        shrunk[static_cast<size_t>(r) * out_cols + c] =
            values[static_cast<size_t>(static_cast<long long>(r) * rows / out_rows) * cols +
                   static_cast<size_t>(static_cast<long long>(c) * cols / out_cols)];
    values = shrunk.data();
    rows = out_rows;
    cols = out_cols;
  }
  if (rows == 0 || cols == 0) {
    rows_ = cols_ = 0;
    return;
  }
  if (!texture_.id()) texture_ = GlTexture::create();
  glBindTexture(GL_TEXTURE_2D, texture_.id());
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  if (rows == rows_ && cols == cols_) {
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, cols, rows, GL_RED, GL_FLOAT, values);
  } else {
    set_nearest_clamped();
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, cols, rows, 0, GL_RED, GL_FLOAT, values);
  }
  rows_ = rows;
  cols_ = cols;
}

const std::array<Rgb8, kColormapSize>& diverging_lut() {
  static const std::array<Rgb8, kColormapSize> lut = [] {
    // ColorBrewer RdBu, reversed so negative is blue: evenly spaced keys, linear in between.
    const std::uint32_t keys[] = {0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xf7f7f7,
                                  0xfddbc7, 0xf4a582, 0xd6604d, 0xb2182b};
    const int segments = static_cast<int>(std::size(keys)) - 1;
    std::array<Rgb8, kColormapSize> out{};
    for (int i = 0; i < kColormapSize; ++i) {
      const double x = static_cast<double>(i) / (kColormapSize - 1) * segments;
      const int k = std::min(static_cast<int>(x), segments - 1);
      const double f = x - k;
      auto channel = [&](int shift) {
        const double a = (keys[k] >> shift) & 0xff, b = (keys[k + 1] >> shift) & 0xff;
        return static_cast<std::uint8_t>(std::lround(a + (b - a) * f));
      };
      out[static_cast<size_t>(i)] = {channel(16), channel(8), channel(0)};
    }
    return out;
  }();
  return lut;
}

Rgb8 diverging_color(float value) {
  if (!(value >= -1.0f)) value = -1.0f;  // NaN too
  if (value > 1.0f) value = 1.0f;
  return diverging_lut()[static_cast<size_t>(std::lround((value + 1.0f) * 0.5f * (kColormapSize - 1)))];
}

// ---------------------------------------------------------------- renderer

HeatmapRenderer::HeatmapRenderer() {
  program_ = GlProgram::compile("heatmap.vert", shader_source("heatmap.vert"), "heatmap.frag",
                                shader_source("heatmap.frag"));
  u_rect_ = glGetUniformLocation(program_.id(), "u_rect");
  u_uv_ = glGetUniformLocation(program_.id(), "u_uv");
  u_values_ = glGetUniformLocation(program_.id(), "u_values");
  u_lut_ = glGetUniformLocation(program_.id(), "u_lut");
  u_dim_ = glGetUniformLocation(program_.id(), "u_dim");
  quad_ = GlVertexArray::create();
  for (int i = 0; i < kColormapCount; ++i)
    colormaps_[static_cast<size_t>(i)] = make_lut_texture(colormap_lut(static_cast<Colormap>(i)));
  diverging_ = make_lut_texture(diverging_lut());
  float ramp[kColormapSize];  // [1, 256] entry i holds i / 255: exactly lookup entry i
  for (int i = 0; i < kColormapSize; ++i) ramp[i] = static_cast<float>(i) / (kColormapSize - 1);
  ramp_.upload(ramp, 1, kColormapSize);
  std::reverse(ramp, ramp + kColormapSize);
  ramp_vertical_.upload(ramp, kColormapSize, 1);
  glBindTexture(GL_TEXTURE_2D, 0);
}

void HeatmapRenderer::draw(ImDrawList* draw_list, const HeatmapTexture& texture, ImVec2 p0, ImVec2 p1, Colormap map,
                           const HeatmapStyle& style) {
  if (texture.empty() || p1.x <= p0.x || p1.y <= p0.y) return;
  PendingFrame& pending = pending_[ImGui::GetCurrentContext()];
  if (pending.frame != ImGui::GetFrameCount()) {  // the previous frame of this context has been rendered
    pending.frame = ImGui::GetFrameCount();
    pending.calls.clear();
  }
  const int map_index = std::clamp(static_cast<int>(map), 0, kColormapCount - 1);
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  DrawCall& call = pending.calls.emplace_back();
  call.renderer = this;
  call.values = texture.id();
  call.lut = style.diverging ? diverging_.id() : colormaps_[static_cast<size_t>(map_index)].id();
  call.p0 = p0;
  call.p1 = p1;
  call.uv0 = style.uv0;
  call.uv1 = style.uv1;
  call.display_pos = viewport->Pos;
  call.display_size = viewport->Size;
  call.dim = std::clamp(style.dim, 0.0f, 1.0f);
  draw_list->AddCallback(&HeatmapRenderer::render_callback, &call);
  draw_list->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
}

void HeatmapRenderer::render_callback(const ImDrawList*, const ImDrawCmd* cmd) {
  const auto* call = static_cast<const DrawCall*>(cmd->UserCallbackData);
  call->renderer->render(*call, *cmd);
}

void HeatmapRenderer::render(const DrawCall& call, const ImDrawCmd& cmd) const {
  if (call.display_size.x <= 0 || call.display_size.y <= 0) return;
  // The backend has set the viewport to the framebuffer; ImGui coordinates
  // map onto it through the display rectangle recorded with the call.
  GLint viewport[4] = {0, 0, 0, 0};
  glGetIntegerv(GL_VIEWPORT, viewport);
  const float fb_w = static_cast<float>(viewport[2]), fb_h = static_cast<float>(viewport[3]);
  const float sx = fb_w / call.display_size.x, sy = fb_h / call.display_size.y;

  // User callbacks get no scissor from the backend: apply the command's clip rectangle.
  const float clip_x0 = (cmd.ClipRect.x - call.display_pos.x) * sx, clip_y0 = (cmd.ClipRect.y - call.display_pos.y) * sy;
  const float clip_x1 = (cmd.ClipRect.z - call.display_pos.x) * sx, clip_y1 = (cmd.ClipRect.w - call.display_pos.y) * sy;
  if (clip_x1 <= clip_x0 || clip_y1 <= clip_y0) return;
  glEnable(GL_SCISSOR_TEST);
  glScissor(static_cast<GLint>(clip_x0), static_cast<GLint>(fb_h - clip_y1), static_cast<GLsizei>(clip_x1 - clip_x0),
            static_cast<GLsizei>(clip_y1 - clip_y0));

  auto ndc_x = [&](float x) { return (x - call.display_pos.x) / call.display_size.x * 2.0f - 1.0f; };
  auto ndc_y = [&](float y) { return 1.0f - (y - call.display_pos.y) / call.display_size.y * 2.0f; };
  glUseProgram(program_.id());
  glUniform4f(u_rect_, ndc_x(call.p0.x), ndc_y(call.p0.y), ndc_x(call.p1.x), ndc_y(call.p1.y));
  glUniform4f(u_uv_, call.uv0.x, call.uv0.y, call.uv1.x, call.uv1.y);
  glUniform1i(u_values_, 0);
  glUniform1i(u_lut_, 1);
  glUniform1f(u_dim_, call.dim);
  glActiveTexture(GL_TEXTURE1);
  glBindTexture(GL_TEXTURE_2D, call.lut);
  glBindSampler(1, 0);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, call.values);
  glBindSampler(0, 0);
  glDisable(GL_BLEND);  // cells are opaque; blending could only shift exported colours
  glBindVertexArray(quad_.id());
  glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
  glEnable(GL_BLEND);
  // ImDrawCallback_ResetRenderState, queued next, restores the backend's program and buffers.
}

}  // namespace attnscope
