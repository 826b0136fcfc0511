#version 330 core
// One textured quad per heatmap, built from gl_VertexID (no vertex buffer):
// vertices 0..3 are the corners (0,0) (1,0) (0,1) (1,1) of a triangle strip.
uniform vec4 u_rect;  // x0, y0, x1, y1 in clip space (x0, y0 = top-left cell corner)
uniform vec4 u_uv;    // u0, v0, u1, v1: part of the value texture shown

out vec2 v_uv;

void main() {
  vec2 corner = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1));
  v_uv = mix(u_uv.xy, u_uv.zw, corner);
  gl_Position = vec4(mix(u_rect.xy, u_rect.zw, corner), 0.0, 1.0);
}
