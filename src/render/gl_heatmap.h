// GPU side of every heatmap in the app: a matrix of values in [0, 1] lives in a
// float texture and a fragment shader maps each value through a 256-entry
// colormap texture. Cells are never ImGui rectangles, so a 1024 x 1024 matrix
// zooms and pans at the cost of one quad.
//
// The shader picks lookup entry round(v * 255) with nearest sampling, exactly
// as colormap_color() does, so an exported pixel equals colormap_color(map, v).
//
// Needs a current OpenGL 3.3 core context for construction, upload and draw.
#pragma once
#include <array>
#include <deque>
#include <string_view>
#include <unordered_map>

#include <imgui.h>

#include "core/colormap.h"

namespace attnscope {

// Move-only owners of GL object names (0 = none). GLuint is unsigned int; the
// GL header stays out of this file so views do not see GL.
class GlTexture {
 public:
  GlTexture() = default;
  static GlTexture create();
  ~GlTexture();
  GlTexture(GlTexture&& other) noexcept : id_(other.release()) {}
  GlTexture& operator=(GlTexture&& other) noexcept;
  GlTexture(const GlTexture&) = delete;
  GlTexture& operator=(const GlTexture&) = delete;
  unsigned int id() const { return id_; }
  unsigned int release() { unsigned int id = id_; id_ = 0; return id; }

 private:
  unsigned int id_ = 0;
};

class GlProgram {
 public:
  GlProgram() = default;
  // Throws Error naming the shader and the compiler's log.
  static GlProgram compile(std::string_view vertex_name, std::string_view vertex_source, std::string_view fragment_name,
                           std::string_view fragment_source);
  ~GlProgram();
  GlProgram(GlProgram&& other) noexcept : id_(other.release()) {}
  GlProgram& operator=(GlProgram&& other) noexcept;
  GlProgram(const GlProgram&) = delete;
  GlProgram& operator=(const GlProgram&) = delete;
  unsigned int id() const { return id_; }
  unsigned int release() { unsigned int id = id_; id_ = 0; return id; }

 private:
  unsigned int id_ = 0;
};

class GlVertexArray {
 public:
  GlVertexArray() = default;
  static GlVertexArray create();
  ~GlVertexArray();
  GlVertexArray(GlVertexArray&& other) noexcept : id_(other.release()) {}
  GlVertexArray& operator=(GlVertexArray&& other) noexcept;
  GlVertexArray(const GlVertexArray&) = delete;
  GlVertexArray& operator=(const GlVertexArray&) = delete;
  unsigned int id() const { return id_; }
  unsigned int release() { unsigned int id = id_; id_ = 0; return id; }

 private:
  unsigned int id_ = 0;
};

// A [rows, cols] grid of values in [0, 1] on the GPU (GL_R32F, nearest).
// Row 0 is drawn at the top.
class HeatmapTexture {
 public:
  // values: [rows, cols] row-major. Reuses the texture when the size is unchanged.
  void upload(const float* values, int rows, int cols);
  bool empty() const { return rows_ == 0 || cols_ == 0; }
  int rows() const { return rows_; }
  int cols() const { return cols_; }
  unsigned int id() const { return texture_.id(); }

 private:
  GlTexture texture_;
  int rows_ = 0, cols_ = 0;
};

// Where the cells of a drawn heatmap landed, in the pixels of the ImGui
// display it was drawn into (for an exported figure: the figure's pixels).
// Cell (r, c) covers [x + c*cell_w, x + (c+1)*cell_w) x [y + r*cell_h, y + (r+1)*cell_h).
struct HeatmapLayout {
  float x = 0, y = 0, cell_w = 0, cell_h = 0;
  int rows = 0, cols = 0;
};

// The diverging lookup for signed values (Q, K, V): blue below zero, white at
// zero, red above (ColorBrewer RdBu, safe for colour-blind readers).
// Entry i is the colour of (i / 255) * 2 - 1.
const std::array<Rgb8, kColormapSize>& diverging_lut();
Rgb8 diverging_color(float value);  // value in [-1, 1], clamped

struct HeatmapStyle {
  ImVec2 uv0{0, 0}, uv1{1, 1};  // part of the matrix shown (zoom and pan)
  bool diverging = false;       // use diverging_lut() instead of the colormap
  float dim = 0;                // 0..1: fade towards grey (ablated heads)
};

class HeatmapRenderer {
 public:
  HeatmapRenderer();  // compiles shaders/heatmap.{vert,frag} and uploads the lookup textures

  // Queues `texture` into the rectangle p0..p1 of `draw_list`; it is drawn when
  // ImGui renders the list, inside the list's clip rectangle.
  void draw(ImDrawList* draw_list, const HeatmapTexture& texture, ImVec2 p0, ImVec2 p1, Colormap map,
            const HeatmapStyle& style = {});
  // All 256 colours in order, for legends: left to right (0 at the left), and
  // bottom to top (1 at the top).
  const HeatmapTexture& ramp() const { return ramp_; }
  const HeatmapTexture& ramp_vertical() const { return ramp_vertical_; }

 private:
  struct DrawCall {
    HeatmapRenderer* renderer = nullptr;
    unsigned int values = 0, lut = 0;
    ImVec2 p0, p1, uv0, uv1, display_pos, display_size;
    float dim = 0;
  };
  // Draw calls of the frame being built, per ImGui context (the offscreen
  // export uses a second one); they must outlive the frame until it is rendered.
  struct PendingFrame {
    int frame = -1;
    std::deque<DrawCall> calls;
  };

  static void render_callback(const ImDrawList* list, const ImDrawCmd* cmd);
  void render(const DrawCall& call, const ImDrawCmd& cmd) const;

  GlProgram program_;
  GlVertexArray quad_;  // no attributes: the vertex shader builds the quad from gl_VertexID
  int u_rect_ = -1, u_uv_ = -1, u_values_ = -1, u_lut_ = -1, u_dim_ = -1;
  std::array<GlTexture, kColormapCount> colormaps_;
  GlTexture diverging_;
  HeatmapTexture ramp_, ramp_vertical_;
  std::unordered_map<const void*, PendingFrame> pending_;
};

}  // namespace attnscope
