// IEEE binary16 (F16) and bfloat16 (BF16) <-> float32, bit-exact.
// Reading widens exactly; writing rounds to nearest, ties to even, and keeps
// infinities and NaNs (a NaN stays a NaN, never becomes an infinity).
#pragma once
#include <bit>
#include <cstdint>

namespace attnscope {

inline float f16_to_f32(std::uint16_t h) {
  std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  std::uint32_t exponent = (h >> 10) & 0x1Fu;
  std::uint32_t mantissa = h & 0x3FFu;
  std::uint32_t bits;
  if (exponent == 0x1F) {  // inf or NaN: all-ones f32 exponent, payload kept
    bits = sign | 0x7F800000u | (mantissa << 13);
  } else if (exponent != 0) {  // normal: rebias 15 -> 127
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {  // signed zero
    bits = sign;
  } else {
    // Subnormal: value = mantissa * 2^-24, which is a normal f32. Shift the
    // leading one up to the implicit bit and lower the exponent to match.
    int shift = std::countl_zero(mantissa) - 21;  // mantissa has 10 bits: 32 - 10 - 1 = 21
    mantissa = (mantissa << shift) & 0x3FFu;
    bits = sign | (static_cast<std::uint32_t>(113 - shift) << 23) | (mantissa << 13);
  }
  return std::bit_cast<float>(bits);
}

inline float bf16_to_f32(std::uint16_t b) {
  return std::bit_cast<float>(static_cast<std::uint32_t>(b) << 16);
}

inline std::uint16_t f32_to_f16(float value) {
  std::uint32_t bits = std::bit_cast<std::uint32_t>(value);
  std::uint16_t sign = static_cast<std::uint16_t>((bits >> 16) & 0x8000u);
  std::uint32_t exponent = (bits >> 23) & 0xFFu;
  std::uint32_t mantissa = bits & 0x7FFFFFu;
  if (exponent == 0xFF) {  // inf stays inf; NaN stays a quiet NaN
    return static_cast<std::uint16_t>(sign | 0x7C00u | (mantissa ? 0x200u | (mantissa >> 13) : 0u));
  }
  int half_exponent = static_cast<int>(exponent) - 127 + 15;
  if (half_exponent >= 0x1F) return static_cast<std::uint16_t>(sign | 0x7C00u);  // overflow -> inf
  if (half_exponent <= 0) {
    // Result is subnormal (or zero): value = m * 2^-24 with m rounded from the
    // full 24-bit significand shifted right by (14 - half_exponent).
    if (half_exponent < -10) return sign;  // below half the smallest subnormal
    std::uint32_t significand = mantissa | 0x800000u;
    int shift = 14 - half_exponent;
    std::uint32_t m = significand >> shift;
    std::uint32_t remainder = significand & ((1u << shift) - 1);
    std::uint32_t halfway = 1u << (shift - 1);
    if (remainder > halfway || (remainder == halfway && (m & 1u))) m++;  // may carry into the smallest normal: still correct
    return static_cast<std::uint16_t>(sign | m);
  }
  std::uint32_t m = mantissa >> 13;
  std::uint32_t remainder = mantissa & 0x1FFFu;
  std::uint32_t result = (static_cast<std::uint32_t>(half_exponent) << 10) | m;
  if (remainder > 0x1000u || (remainder == 0x1000u && (m & 1u))) result++;  // a carry may round up to inf: correct
  return static_cast<std::uint16_t>(sign | result);
}

inline std::uint16_t f32_to_bf16(float value) {
  std::uint32_t bits = std::bit_cast<std::uint32_t>(value);
  if ((bits & 0x7F800000u) == 0x7F800000u && (bits & 0x7FFFFFu)) {
    return static_cast<std::uint16_t>((bits >> 16) | 0x40u);  // quiet NaN; truncation could clear the payload
  }
  std::uint32_t rounding = 0x7FFFu + ((bits >> 16) & 1u);  // ties to even
  return static_cast<std::uint16_t>((bits + rounding) >> 16);
}

}  // namespace attnscope
