// F16 / BF16 <-> F32 conversions checked against the IEEE 754 definitions,
// exhaustively over all 65,536 half-precision bit patterns.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#include "core/float16.h"

namespace attnscope {
namespace {

// binary16 value by definition: (-1)^s * 2^(e-15) * 1.m, or 2^-14 * 0.m when e == 0.
double f16_reference(std::uint16_t h) {
  int sign = h >> 15, exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF;
  double magnitude = exponent == 0 ? std::ldexp(mantissa, -24) : std::ldexp(1024 + mantissa, exponent - 25);
  return sign ? -magnitude : magnitude;
}

TEST(Float16, WidensEveryFiniteF16Exactly) {
  for (std::uint32_t h = 0; h < 0x10000; h++) {
    if (((h >> 10) & 0x1F) == 0x1F) continue;
    float value = f16_to_f32(static_cast<std::uint16_t>(h));
    ASSERT_EQ(static_cast<double>(value), f16_reference(static_cast<std::uint16_t>(h))) << std::hex << h;
    ASSERT_EQ(std::signbit(value), (h >> 15) == 1) << std::hex << h;
    ASSERT_EQ(f32_to_f16(value), h) << std::hex << h;  // narrowing an exact value is lossless
  }
}

TEST(Float16, InfinitiesAndNaNs) {
  EXPECT_EQ(f16_to_f32(0x7C00), std::numeric_limits<float>::infinity());
  EXPECT_EQ(f16_to_f32(0xFC00), -std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(f16_to_f32(0x7E00)));
  EXPECT_TRUE(std::isnan(f16_to_f32(0x7C01)));
  EXPECT_EQ(f32_to_f16(std::numeric_limits<float>::infinity()), 0x7C00);
  EXPECT_EQ(f32_to_f16(-std::numeric_limits<float>::infinity()), 0xFC00);
  EXPECT_TRUE(std::isnan(f16_to_f32(f32_to_f16(std::nanf("")))));
  // A NaN whose payload sits only in the low f32 bits must not become inf.
  EXPECT_TRUE(std::isnan(f16_to_f32(f32_to_f16(std::bit_cast<float>(0x7F800001u)))));
}

TEST(Float16, NarrowingRoundsToNearestEven) {
  // Between neighbouring finite F16 values a and b, the exact midpoint goes to
  // the one with an even mantissa, and anything nearer to a goes to a.
  for (std::uint32_t h = 0; h < 0x7BFF; h++) {
    double a = f16_reference(static_cast<std::uint16_t>(h));
    double b = f16_reference(static_cast<std::uint16_t>(h + 1));
    float midpoint = static_cast<float>((a + b) / 2);  // exact: f16 has 11 significant bits
    std::uint16_t even = (h & 1) ? static_cast<std::uint16_t>(h + 1) : static_cast<std::uint16_t>(h);
    ASSERT_EQ(f32_to_f16(midpoint), even) << std::hex << h;
    ASSERT_EQ(f32_to_f16(-midpoint), even | 0x8000) << std::hex << h;
    ASSERT_EQ(f32_to_f16(std::nextafter(midpoint, 0.0f)), h) << std::hex << h;
  }
  EXPECT_EQ(f32_to_f16(65519.0f), 0x7BFF);  // just below the halfway point to 2^16
  EXPECT_EQ(f32_to_f16(65520.0f), 0x7C00);  // halfway rounds to inf
  EXPECT_EQ(f32_to_f16(std::ldexp(1.0f, -25)), 0x0000);   // tie between 0 and the smallest subnormal
  EXPECT_EQ(f32_to_f16(std::ldexp(1.5f, -25)), 0x0001);
  EXPECT_EQ(f32_to_f16(1e-30f), 0x0000);
}

TEST(BFloat16, IsTheTopHalfOfF32AndRoundsToNearestEven) {
  EXPECT_EQ(bf16_to_f32(0x3F80), 1.0f);
  EXPECT_EQ(bf16_to_f32(0xC040), -3.0f);
  EXPECT_EQ(bf16_to_f32(0x7F80), std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(bf16_to_f32(0x7FC0)));
  EXPECT_EQ(f32_to_bf16(1.0f + std::ldexp(1.0f, -8)), 0x3F80);       // tie -> even (down)
  EXPECT_EQ(f32_to_bf16(1.0f + 3 * std::ldexp(1.0f, -8)), 0x3F82);   // tie -> even (up)
  EXPECT_EQ(f32_to_bf16(1.0f + std::ldexp(1.0f, -8) + std::ldexp(1.0f, -20)), 0x3F81);
  EXPECT_TRUE(std::isnan(bf16_to_f32(f32_to_bf16(std::bit_cast<float>(0x7F800001u)))));
}

}  // namespace
}  // namespace attnscope
