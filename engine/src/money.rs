//! Money: exact decimals in yuan, the declared rounding rule, and the two-place strings of
//! the decision contract.

use cailiang_dsl::ast::RoundingMode;
use cailiang_dsl::ir::RoundingIr;
use rust_decimal::{Decimal, RoundingStrategy};

/// The rounding rule in force: unit in yuan and mode. Default: to the yuan, half up.
#[derive(Debug, Clone, PartialEq)]
pub struct Rounding {
    /// Unit in yuan (1 = 元, 100 = 百元, 0.01 = 分).
    pub unit: Decimal,
    /// Unit as written.
    pub unit_label: String,
    /// Mode.
    pub mode: RoundingMode,
}

impl Default for Rounding {
    fn default() -> Self {
        Rounding {
            unit: Decimal::ONE,
            unit_label: "元".into(),
            mode: RoundingMode::HalfUp,
        }
    }
}

impl From<&RoundingIr> for Rounding {
    fn from(r: &RoundingIr) -> Self {
        Rounding {
            unit: r.unit,
            unit_label: r.unit_label.clone(),
            mode: r.mode,
        }
    }
}

impl Rounding {
    /// Human description, e.g. `取整到元（四舍五入）`.
    pub fn describe(&self) -> String {
        let mode = match self.mode {
            RoundingMode::HalfUp => "四舍五入",
            RoundingMode::Down => "向下",
            RoundingMode::Up => "向上",
            RoundingMode::HalfEven => "银行家舍入",
        };
        format!("取整到{}（{}）", self.unit_label, mode)
    }

    fn with(&self, x: Decimal, strategy: RoundingStrategy) -> Decimal {
        if self.unit.is_zero() {
            return x;
        }
        match x.checked_div(self.unit) {
            Some(q) => q
                .round_dp_with_strategy(0, strategy)
                .checked_mul(self.unit)
                .unwrap_or(x),
            None => x,
        }
    }

    /// Round by the declared mode.
    pub fn round(&self, x: Decimal) -> Decimal {
        let s = match self.mode {
            RoundingMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            RoundingMode::Down => RoundingStrategy::ToZero,
            RoundingMode::Up => RoundingStrategy::AwayFromZero,
            RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
        };
        self.with(x, s)
    }

    /// Round by the declared mode, but never leave `[lo, hi]`: step inward to the nearest
    /// unit inside, or keep the exact bound when no multiple of the unit lies inside.
    pub fn round_within(&self, x: Decimal, lo: Decimal, hi: Decimal) -> Decimal {
        let r = self.round(x);
        if r < lo {
            let up = self.with(lo, RoundingStrategy::AwayFromZero);
            if up <= hi {
                up
            } else {
                lo
            }
        } else if r > hi {
            let down = self.with(hi, RoundingStrategy::ToZero);
            if down >= lo {
                down
            } else {
                hi
            }
        } else {
            r
        }
    }
}

/// Two-place yuan string of the decision contract: `100000.00`. Written digit by digit: it
/// runs several times per decision and `Decimal`'s `Display` is most of a decision's cost.
pub fn money_string(d: Decimal) -> String {
    two_places(d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
}

/// Two-place percentage string of the decision contract: `52.00`.
pub fn percent_string(d: Decimal) -> String {
    let p = d.checked_mul(Decimal::ONE_HUNDRED).unwrap_or(d);
    two_places(p.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
}

/// Format a decimal already rounded to at most two places as `123.45`.
fn two_places(r: Decimal) -> String {
    let scale = r.scale();
    let mut m = r.mantissa();
    // Bring the mantissa to exactly two decimal places (scale ≤ 2 after rounding).
    let mut sc = scale;
    while sc < 2 {
        m = match m.checked_mul(10) {
            Some(x) => x,
            None => return format!("{r:.2}"),
        };
        sc += 1;
    }
    if sc > 2 {
        return format!("{r:.2}");
    }
    let neg = m < 0;
    // u64 arithmetic when it fits (u128 division is a library call).
    let mut u = match u64::try_from(m.unsigned_abs()) {
        Ok(x) => x,
        Err(_) => return format!("{r:.2}"),
    };
    let mut digits = [0u8; 24];
    let mut n = 0;
    while u > 0 || n < 3 {
        if let Some(slot) = digits.get_mut(n) {
            *slot = b'0' + (u % 10) as u8;
        }
        u /= 10;
        n += 1;
    }
    let mut out = String::with_capacity(n + 2);
    if neg {
        out.push('-');
    }
    for i in (0..n).rev() {
        if i == 1 {
            out.push('.');
        }
        out.push(char::from(digits.get(i).copied().unwrap_or(b'0')));
    }
    out
}

/// Amount as a legal officer writes it: `10万元`, `2500元`, `1.25万元`.
pub fn yuan_text(d: Decimal) -> String {
    let d = d.round_dp(2);
    if d.abs() >= Decimal::from(10_000) {
        let w = (d / Decimal::from(10_000)).round_dp(6).normalize();
        format!("{w}万元")
    } else {
        format!("{}元", d.normalize())
    }
}

/// Percentage text: `52%`, `7.5%`.
pub fn percent_text(d: Decimal) -> String {
    format!("{}%", (d * Decimal::ONE_HUNDRED).round_dp(4).normalize())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn rounds_half_up_to_the_yuan_by_default() {
        let r = Rounding::default();
        assert_eq!(r.round(d("100.5")), d("101"));
        assert_eq!(r.round(d("100.49")), d("100"));
    }

    #[test]
    fn rounding_never_leaves_the_range() {
        let r = Rounding {
            unit: d("100"),
            unit_label: "百元".into(),
            mode: RoundingMode::HalfUp,
        };
        assert_eq!(r.round_within(d("1049"), d("1020"), d("2000")), d("1100"));
        assert_eq!(r.round_within(d("1990"), d("1000"), d("1960")), d("1900"));
        // No multiple of 100 inside [1020, 1080]: keep the exact bound.
        assert_eq!(r.round_within(d("1010"), d("1020"), d("1080")), d("1020"));
    }

    #[test]
    fn formats_contract_strings() {
        assert_eq!(money_string(d("100000")), "100000.00");
        assert_eq!(money_string(d("0.005")), "0.01");
        assert_eq!(percent_string(d("0.52")), "52.00");
        assert_eq!(money_string(d("0")), "0.00");
        assert_eq!(money_string(d("7.5")), "7.50");
        assert_eq!(money_string(d("-12.345")), "-12.35");
        assert_eq!(money_string(d("123456789012.1")), "123456789012.10");
        assert_eq!(percent_string(d("1")), "100.00");
        assert_eq!(yuan_text(d("70000")), "7万元");
        assert_eq!(yuan_text(d("2500")), "2500元");
    }
}
