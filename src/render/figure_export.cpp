#include "render/figure_export.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <memory>

#include <GL/gl.h>
#include <GL/glext.h>
#include <imgui.h>
#include <imgui_internal.h>
#include <backends/imgui_impl_opengl3.h>

#include "render/figure_record.h"
#include "render/fonts.h"
#include "core/error.h"

namespace attnscope {

namespace {

// An RGBA8 colour attachment in its own framebuffer; move-only, freed on scope exit.
class OffscreenTarget {
 public:
  OffscreenTarget(int width, int height) {
    glGenTextures(1, &texture_);
    glBindTexture(GL_TEXTURE_2D, texture_);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glBindTexture(GL_TEXTURE_2D, 0);
    glGenFramebuffers(1, &framebuffer_);
    glBindFramebuffer(GL_FRAMEBUFFER, framebuffer_);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, texture_, 0);
    complete_ = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
  }
  ~OffscreenTarget() {
    glDeleteFramebuffers(1, &framebuffer_);
    glDeleteTextures(1, &texture_);
  }
  OffscreenTarget(const OffscreenTarget&) = delete;
  OffscreenTarget& operator=(const OffscreenTarget&) = delete;

  bool complete() const { return complete_; }
  GLuint framebuffer() const { return framebuffer_; }

 private:
  GLuint texture_ = 0;
  GLuint framebuffer_ = 0;
  bool complete_ = false;
};

// The figure's own ImGui context and renderer; restores the caller's context
// and framebuffer binding however render_figure exits.
class FigureContext {
 public:
  explicit FigureContext(const FigureSpec& spec) : previous_(ImGui::GetCurrentContext()) {
    glGetIntegerv(GL_FRAMEBUFFER_BINDING, &previous_framebuffer_);
    glGetIntegerv(GL_VIEWPORT, previous_viewport_);
    context_ = ImGui::CreateContext();  // with its own font atlas
    ImGui::SetCurrentContext(context_);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.LogFilename = nullptr;
    fonts_ = add_app_fonts(io.Fonts, spec.font_size * spec.scale);
    if (spec.light) ImGui::StyleColorsLight();
    else ImGui::StyleColorsDark();
    ImGui::GetStyle().ScaleAllSizes(spec.scale);
    ImGui::GetStyle().WindowBorderSize = 0;  // the figure is the window: no frame line around it
    ImGui_ImplOpenGL3_Init("#version 330 core");
  }
  ~FigureContext() {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui::DestroyContext(context_);
    ImGui::SetCurrentContext(previous_);
    glBindFramebuffer(GL_FRAMEBUFFER, static_cast<GLuint>(previous_framebuffer_));
    glViewport(previous_viewport_[0], previous_viewport_[1], previous_viewport_[2], previous_viewport_[3]);
  }
  FigureContext(const FigureContext&) = delete;
  FigureContext& operator=(const FigureContext&) = delete;

  const FontSet& fonts() const { return fonts_; }

 private:
  ImGuiContext* previous_ = nullptr;
  ImGuiContext* context_ = nullptr;
  GLint previous_framebuffer_ = 0;
  GLint previous_viewport_[4] = {0, 0, 0, 0};
  FontSet fonts_;
};

void draw_header(const FigureSpec& spec, const FontSet& fonts, FigureRecord* record) {
  if (record) record->begin_group("header");
  ImGui::PushFont(fonts.title);
  ImGui::TextUnformatted(spec.title.c_str());
  record_item_text(record, spec.title, ImGui::GetColorU32(ImGuiCol_Text));
  ImGui::PopFont();
  if (!spec.sentence.empty()) {
    const std::string quoted = "\u201C" + spec.sentence + "\u201D";
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::PushTextWrapPos(0.0f);
    record_wrapped_text(record, at, quoted, ImGui::GetColorU32(ImGuiCol_Text), ImGui::CalcWrapWidthForPos(at, 0.0f));
    ImGui::TextUnformatted(quoted.c_str());
    ImGui::PopTextWrapPos();
  }
  if (!spec.detail.empty()) {
    ImGui::TextDisabled("%s", spec.detail.c_str());
    record_item_text(record, spec.detail, ImGui::GetColorU32(ImGuiCol_TextDisabled));
  }
  ImGui::Separator();
  record_separator(record);
  if (record) record->begin_group("view");
}

}  // namespace

namespace {

void check_size(int width, int height) {
  GLint max_size = 0;
  glGetIntegerv(GL_MAX_TEXTURE_SIZE, &max_size);
  if (width <= 0 || height <= 0 || width > max_size || height > max_size)
    throw Error("figure export: " + std::to_string(width) + "x" + std::to_string(height) +
                " pixels is outside what this GL supports (1 to " + std::to_string(max_size) + " per side)");
}

// Draws spec.frames frames of the figure into `target` and returns the height
// its content needed, in pixels.
float render_frames(const FigureSpec& spec, const FontSet& fonts, const DrawFigureContent& draw_content,
                    const OffscreenTarget& target, int width, int height, FigureRecord* record) {
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(width), static_cast<float>(height));
  io.DisplayFramebufferScale = ImVec2(1, 1);
  io.DeltaTime = 1.0f / 60.0f;
  io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);  // nothing is hovered in a figure
  const ImVec4 background = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  float needed = 0;
  for (int frame = 0; frame < std::max(spec.frames, 1); ++frame) {
    if (record) record->clear();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(background.x, background.y, background.z, 1.0f));
    ImGui::Begin("##figure", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus);
    if (record) {
      record->background = ImGui::GetColorU32(ImGuiCol_WindowBg);
      record->text = ImGui::GetColorU32(ImGuiCol_Text);
      record->text_dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
      const ImRect clip = ImGui::GetCurrentWindow()->InnerClipRect;
      record->clip = ImVec4(clip.Min.x, clip.Min.y, clip.Max.x, clip.Max.y);
    }
    draw_header(spec, fonts, record);
    draw_content();
    // The lowest point any item reached (no trailing spacing), plus the bottom padding.
    const ImGuiWindow* window = ImGui::GetCurrentWindow();
    needed = window->DC.CursorMaxPos.y - window->Pos.y + ImGui::GetStyle().WindowPadding.y;
    ImGui::End();
    ImGui::PopStyleColor();
    ImGui::Render();

    glBindFramebuffer(GL_FRAMEBUFFER, target.framebuffer());
    glViewport(0, 0, width, height);
    glClearColor(background.x, background.y, background.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  }
  return needed;
}

}  // namespace

RgbaImage render_figure(const FigureSpec& spec, const DrawFigureContent& draw_content, FigureRecord* record) {
  const int width = static_cast<int>(std::lround(spec.width * spec.scale));
  int height = static_cast<int>(std::lround(spec.height * spec.scale));
  check_size(width, height);
  FigureContext context(spec);
  auto target = std::make_unique<OffscreenTarget>(width, height);
  if (!target->complete()) throw Error("figure export: cannot create a " + std::to_string(width) + "x" +
                                       std::to_string(height) + " offscreen framebuffer");
  const float needed = render_frames(spec, context.fonts(), draw_content, *target, width, height, record);
  // A view of fixed-size rows (predictions, Q/K/V) may not fit the window it
  // had on screen: the figure grows to show all of it, once.
  if (spec.fit_height && needed > static_cast<float>(height) + 1.0f) {
    height = static_cast<int>(std::ceil(needed));
    check_size(width, height);
    target = std::make_unique<OffscreenTarget>(width, height);
    if (!target->complete()) throw Error("figure export: cannot create a " + std::to_string(width) + "x" +
                                         std::to_string(height) + " offscreen framebuffer");
    render_frames(spec, context.fonts(), draw_content, *target, width, height, record);
  }
  glBindFramebuffer(GL_READ_FRAMEBUFFER, target->framebuffer());
  RgbaImage image = read_framebuffer(width, height);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
  return image;
}

}  // namespace attnscope
