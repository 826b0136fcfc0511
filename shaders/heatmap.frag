#version 330 core
// Value -> colour through a 256-entry lookup texture. The entry is
// round(v * 255) (halves away from zero) fetched without filtering, the same
// rule as colormap_color() on the CPU, so exported pixels can be checked
// against the snapshot's weights exactly.
uniform sampler2D u_values;  // R32F [rows, cols], nearest sampling, values in [0, 1]
uniform sampler2D u_lut;     // RGBA8 [1, 256]
uniform float u_dim;         // 0..1: fade towards grey (ablated heads)

in vec2 v_uv;
out vec4 frag_color;

void main() {
  float v = clamp(texture(u_values, v_uv).r, 0.0, 1.0);
  float x = v * 255.0;
  float whole = floor(x);
  int index = int(whole) + ((x - whole) >= 0.5 ? 1 : 0);
  vec3 color = texelFetch(u_lut, ivec2(index, 0), 0).rgb;
  frag_color = vec4(mix(color, vec3(0.55), u_dim), 1.0);
}
