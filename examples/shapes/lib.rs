//! A library that uses all three example macros.
use describe::Describe;
use sum::sum;
use traced::traced;

/// A right triangle with legs `a` and `b`.
#[derive(Describe)]
pub struct RightTriangle {
    pub a: u64,
    pub b: u64,
}

impl RightTriangle {
    /// Twice the area, which stays an integer.
    #[traced]
    pub fn area_doubled(&self) -> u64 {
        self.a * self.b
    }

    /// Whether the hypotenuse is `c`.
    #[traced("hypotenuse check")]
    pub fn has_hypotenuse(&self, c: u64) -> bool {
        self.a * self.a + self.b * self.b == c * c
    }
}

/// The perimeter of the 3-4-5 triangle, summed by a proc macro.
pub const PERIMETER_3_4_5: u64 = sum!(3, 4, 5);
