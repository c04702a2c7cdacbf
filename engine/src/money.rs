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
        // Units are powers of ten in practice (元, 百元, 分): round by moving the decimal
        // point instead of a 96-bit division. The usual ones (元, 分) are 10^e with e ≤ 0,
        // rounding to −e places: that much is here, small enough to inline into
        // `round_within`; the rest is out of line (some 30 instructions less a rounding).
        match power_of_ten(self.unit) {
            Some(e) if e <= 0 => dec::round_dp(x, e.unsigned_abs(), strategy),
            _ => self.with_other(x, strategy),
        }
    }

    /// [`Rounding::with`] for a zero unit, 10^e with e > 0, or any other unit.
    #[inline(never)]
    fn with_other(&self, x: Decimal, strategy: RoundingStrategy) -> Decimal {
        if self.unit.is_zero() {
            return x;
        }
        if let Some(e) = power_of_ten(self.unit).filter(|e| *e > 0) {
            let shifted = x
                .scale()
                .checked_add(e.unsigned_abs())
                .and_then(|sc| Decimal::try_from_i128_with_scale(x.mantissa(), sc).ok());
            if let Some(r) =
                shifted.and_then(|q| dec::round_dp(q, 0, strategy).checked_mul(self.unit))
            {
                return r;
            }
        }
        self.divided(x, strategy)
    }

    /// Round to the unit by division (any unit).
    fn divided(&self, x: Decimal, strategy: RoundingStrategy) -> Decimal {
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
        self.keep_within(self.round(x), lo, hi)
    }

    /// [`Rounding::round_within`] given `r`, the rounded value.
    fn keep_within(&self, r: Decimal, lo: Decimal, hi: Decimal) -> Decimal {
        if dec::lt(r, lo) {
            let up = self.with(lo, RoundingStrategy::AwayFromZero);
            if dec::gt(up, hi) {
                lo
            } else {
                up
            }
        } else if dec::gt(r, hi) {
            let down = self.with(hi, RoundingStrategy::ToZero);
            if dec::lt(down, lo) {
                hi
            } else {
                down
            }
        } else {
            r
        }
    }

    /// The decision's range and recommendation rounded: `lo` within `[floor, ceil]`, then
    /// `hi` within `[rlo, ceil]`, then `rec` within `[rlo, rhi]`.
    pub fn round_range(
        &self,
        (lo, hi, rec): (Decimal, Decimal, Decimal),
        floor: Decimal,
        ceil: Decimal,
    ) -> (Decimal, Decimal, Decimal) {
        let r = self.round(lo);
        let inside = !dec::lt(r, floor) && !dec::gt(r, ceil);
        // One amount for all three (a table's result, nothing adjusted) whose rounding stays
        // inside: rounded again inside `[r, ceil]` and then `[r, r]` it gives `r` both times,
        // so two roundings and four comparisons (some 400 instructions) are not needed.
        if inside && dec::same(lo, hi) && dec::same(lo, rec) {
            return (r, r, r);
        }
        let rlo = if inside {
            r
        } else {
            self.keep_within(r, floor, ceil)
        };
        let rhi = self.round_within(hi, rlo, ceil);
        let rrec = self.round_within(rec, rlo, rhi);
        (rlo, rhi, rrec)
    }
}

/// `e` when `unit` is exactly 10^e (100 → 2, 1 → 0, 0.01 → −2). Units whose digits do not
/// fit a u64 are not powers of ten here (they round by division, with the same result).
fn power_of_ten(unit: Decimal) -> Option<i32> {
    let u = unit.unpack();
    if u.negative || u.hi != 0 {
        return None;
    }
    let m = (u64::from(u.mid) << 32) | u64::from(u.lo);
    // 10^k = 2^k × 5^k has exactly k trailing zero bits, so they say which power to compare
    // with: one table look-up instead of a decimal logarithm and a power (every rounding asks
    // this, three times a decision; this way is about 30 instructions less each time).
    let k = m.trailing_zeros();
    (dec::POW10.get(k as usize) == Some(&m))
        .then(|| i32::try_from(k).unwrap_or(i32::MAX) - i32::try_from(u.scale).unwrap_or(i32::MAX))
}

/// Exact decimal comparison and rounding for the amounts and percentages of a decision,
/// giving the same results (to the bit) as `Decimal`'s own, which align scales and divide
/// with 96-bit loops: a decision makes some forty comparisons and a dozen roundings, and
/// those loops were a third of evaluating a case without its explanation. Here the digits
/// are aligned in an `i128` (or divided in a `u64`), falling back to `Decimal` when they do
/// not fit.
pub(crate) mod dec {
    use rust_decimal::{Decimal, RoundingStrategy};
    use std::cmp::Ordering;

    /// 10^k for k ≤ 19, the powers that fit a u64.
    pub(super) const POW10: [u64; 20] = [
        1,
        10,
        100,
        1_000,
        10_000,
        100_000,
        1_000_000,
        10_000_000,
        100_000_000,
        1_000_000_000,
        10_000_000_000,
        100_000_000_000,
        1_000_000_000_000,
        10_000_000_000_000,
        100_000_000_000_000,
        1_000_000_000_000_000,
        10_000_000_000_000_000,
        100_000_000_000_000_000,
        1_000_000_000_000_000_000,
        10_000_000_000_000_000_000,
    ];

    /// The magnitude's digits when they fit a u64 (`hi` is zero), with the sign and scale.
    fn small(x: Decimal) -> Option<(u64, bool, u32)> {
        let u = x.unpack();
        (u.hi == 0).then(|| {
            (
                (u64::from(u.mid) << 32) | u64::from(u.lo),
                u.negative,
                u.scale,
            )
        })
    }

    /// `a.cmp(&b)`.
    #[inline(always)]
    pub(crate) fn cmp(a: Decimal, b: Decimal) -> Ordering {
        // Same scale and sign (a rate against a rate, an amount against a bound of the same
        // table) is common, and then the 96-bit digits order them without aligning scales:
        // reversed when negative; two zeros of one sign are equal either way.
        let (x, y) = (a.unpack(), b.unpack());
        if x.scale == y.scale && x.negative == y.negative {
            let dx = (u128::from(x.hi) << 64) | (u128::from(x.mid) << 32) | u128::from(x.lo);
            let dy = (u128::from(y.hi) << 64) | (u128::from(y.mid) << 32) | u128::from(y.lo);
            let o = dx.cmp(&dy);
            return if x.negative { o.reverse() } else { o };
        }
        cmp_scaled(a, b)
    }

    /// `a.cmp(&b)` for differing scales or signs.
    #[inline(never)]
    fn cmp_scaled(a: Decimal, b: Decimal) -> Ordering {
        let fast = small(a)
            .zip(small(b))
            .and_then(|((ma, na, sa), (mb, nb, sb))| {
                // Align the scales: a u64 times at most 10^19 fits a u128.
                let (x, y) = if sa >= sb {
                    let p = POW10.get((sa - sb) as usize)?;
                    (u128::from(ma), u128::from(mb) * u128::from(*p))
                } else {
                    let p = POW10.get((sb - sa) as usize)?;
                    (u128::from(ma) * u128::from(*p), u128::from(mb))
                };
                // Zero is zero whatever its sign bit says.
                Some(match (na && ma != 0, nb && mb != 0) {
                    (false, false) => x.cmp(&y),
                    (true, true) => y.cmp(&x),
                    (true, false) => Ordering::Less,
                    (false, true) => Ordering::Greater,
                })
            });
        fast.unwrap_or_else(|| a.cmp(&b))
    }

    /// `a < b`.
    #[inline]
    pub(crate) fn lt(a: Decimal, b: Decimal) -> bool {
        cmp(a, b).is_lt()
    }

    /// `a > b`.
    #[inline]
    pub(crate) fn gt(a: Decimal, b: Decimal) -> bool {
        cmp(a, b).is_gt()
    }

    /// `a.max(b)`: the first when equal, as `Decimal::max` (not `Ord::max`, which gives the
    /// second) — equal values may differ in scale or in the sign of zero.
    #[inline]
    pub(crate) fn max(a: Decimal, b: Decimal) -> Decimal {
        if lt(a, b) {
            b
        } else {
            a
        }
    }

    /// `a.min(b)`: the first when equal, as `Decimal::min`.
    #[inline]
    pub(crate) fn min(a: Decimal, b: Decimal) -> Decimal {
        if gt(a, b) {
            b
        } else {
            a
        }
    }

    /// `x.clamp(lo, hi)`, except that `lo > hi` gives `lo` for a small `x` and `hi` for a large
    /// one instead of panicking.
    #[inline]
    pub(crate) fn clamp(x: Decimal, lo: Decimal, hi: Decimal) -> Decimal {
        if lt(x, lo) {
            lo
        } else if gt(x, hi) {
            hi
        } else {
            x
        }
    }

    /// `a` and `b` are the same decimal, bit for bit (digits, scale and sign).
    #[inline]
    pub(crate) fn same(a: Decimal, b: Decimal) -> bool {
        a.serialize() == b.serialize()
    }

    /// `rec` is outside `[min, max]`, `lo` below `min` or `hi` above `max`.
    pub(crate) fn leaves(
        (lo, hi, rec): (Decimal, Decimal, Decimal),
        min: Decimal,
        max: Decimal,
    ) -> bool {
        if lt(rec, min) || gt(rec, max) {
            return true;
        }
        // One amount for all three (a table's result): `lo` and `hi` were just compared as
        // `rec` (two comparisons of different scales, some 80 instructions, not made twice).
        !(same(lo, rec) && same(hi, rec)) && (lt(lo, min) || gt(hi, max))
    }

    /// `lo` and `hi` clamped to `[floor, ceil]`, then `rec` to what lies between them.
    pub(crate) fn clamp_range(
        (lo, hi, rec): (Decimal, Decimal, Decimal),
        floor: Decimal,
        ceil: Decimal,
    ) -> (Decimal, Decimal, Decimal) {
        let c = clamp(lo, floor, ceil);
        // One amount for all three (a table's result): `hi` clamps to the same `c`, and `rec`
        // clamped to `[c, c]` is `c` too (it is `c` when inside, and the bound it passed
        // otherwise), so six comparisons (some 200 instructions) are not needed.
        if same(lo, hi) && same(lo, rec) {
            return (c, c, c);
        }
        let hi = clamp(hi, floor, ceil);
        (c, hi, clamp(rec, min(c, hi), max(hi, c)))
    }

    /// Digits `hi`, `mid`, `lo` (32 bits each) when they fit a u64.
    #[inline]
    fn digits64(hi: u32, mid: u32, lo: u32) -> Option<u64> {
        (hi == 0).then(|| (u64::from(mid) << 32) | u64::from(lo))
    }

    /// A 96-bit magnitude as a decimal.
    #[inline]
    fn from_u96(m: u128, negative: bool, scale: u32) -> Decimal {
        Decimal::from_parts(
            m as u32,
            (m >> 32) as u32,
            (m >> 64) as u32,
            negative,
            scale,
        )
    }

    /// A decimal's digits (96 bits), sign bit and scale: what the fast paths compute, made
    /// into a `Decimal` once, by [`of_parts`], where both a fast and a slow path may give the
    /// result. Why: a `Decimal` (or an `Option` of one) that either path may give is kept in
    /// memory, stored in 4- and 8-byte pieces and then copied by one 16-byte load, which the
    /// processor cannot forward from them (some 12 cycles on the amount's dependency chain,
    /// each time); parts stay in registers.
    type Parts = (u128, bool, u32);

    /// `d`'s parts.
    #[inline(always)]
    fn parts(d: Decimal) -> Parts {
        let u = d.unpack();
        (
            (u128::from(u.hi) << 64) | (u128::from(u.mid) << 32) | u128::from(u.lo),
            u.negative,
            u.scale,
        )
    }

    /// The decimal of `parts`, to the bit (the sign bit as given, also on a zero).
    #[inline(always)]
    fn of_parts((m, negative, scale): Parts) -> Decimal {
        let mut d = from_u96(m, false, scale);
        d.set_sign_negative(negative);
        d
    }

    /// `a.checked_add(b)`.
    #[inline(always)]
    pub(crate) fn add(a: Decimal, b: Decimal) -> Option<Decimal> {
        let p = match add_sub(a, b, false) {
            Some(p) => p,
            None => parts(slow::add(a, b)?),
        };
        Some(of_parts(p))
    }

    /// `a.checked_sub(b)`.
    #[inline(always)]
    pub(crate) fn sub(a: Decimal, b: Decimal) -> Option<Decimal> {
        let p = match add_sub(a, b, true) {
            Some(p) => p,
            None => parts(slow::sub(a, b)?),
        };
        Some(of_parts(p))
    }

    /// `Decimal`'s own operations, out of line: inlined, their register pressure and stack
    /// frame would be paid by the fast paths too.
    mod slow {
        use rust_decimal::Decimal;

        #[cold]
        #[inline(never)]
        pub(super) fn add(a: Decimal, b: Decimal) -> Option<Decimal> {
            a.checked_add(b)
        }

        #[cold]
        #[inline(never)]
        pub(super) fn sub(a: Decimal, b: Decimal) -> Option<Decimal> {
            a.checked_sub(b)
        }

        #[cold]
        #[inline(never)]
        pub(super) fn mul(a: Decimal, b: Decimal) -> Option<Decimal> {
            a.checked_mul(b)
        }
    }

    /// `a ± b` when the digits fit a u64 and the scales differ by at most 19, as `Decimal`
    /// does it (its own path for such digits, whose result it is to the bit): both aligned to
    /// the larger scale in a u128, the result exact when it fits 96 bits; `None` otherwise.
    /// A zero operand gives the other one unchanged (negated when subtracted), scale and all.
    /// Inlined into the caller, where `Decimal`'s call (and the `Result` built around it) cost
    /// some sixty instructions a sum; a decision adds a level's weight for every factor.
    #[inline(always)]
    fn add_sub(a: Decimal, b: Decimal, subtract: bool) -> Option<Parts> {
        let (x, y) = (a.unpack(), b.unpack());
        if x.lo | x.mid | x.hi == 0 {
            let (m, negative, scale) = parts(b);
            // `-b`, which flips the sign bit, for a nonzero `b`.
            return Some((m, negative != (subtract && m != 0), scale));
        }
        if y.lo | y.mid | y.hi == 0 {
            return Some(parts(a));
        }
        let (m, negative, scale) = add_digits(
            (digits64(x.hi, x.mid, x.lo)?, x.negative, x.scale),
            (
                digits64(y.hi, y.mid, y.lo)?,
                y.negative != subtract,
                y.scale,
            ),
        )?;
        // As `from_parts` makes it: no sign on a zero.
        Some((m, negative && m != 0, scale))
    }

    /// The heart of [`add_sub`]: `a + b` for two nonzero magnitudes of at most 64 bits
    /// (digits, negative, scale), aligned to the larger scale in a u128; `None` when the
    /// scales differ by more than 19 or the sum does not fit 96 bits. The sign is as given
    /// even when the digits cancel (the callers clear it then).
    #[inline(always)]
    fn add_digits(
        (ma, na, sa): (u64, bool, u32),
        (mb, nb, sb): (u64, bool, u32),
    ) -> Option<(u128, bool, u32)> {
        let (ma, mb) = (u128::from(ma), u128::from(mb));
        let (p, q, scale) = if sa == sb {
            (ma, mb, sa)
        } else if sa > sb {
            let k = POW10.get((sa - sb) as usize)?;
            (ma, mb * u128::from(*k), sa)
        } else {
            let k = POW10.get((sb - sa) as usize)?;
            (ma * u128::from(*k), mb, sb)
        };
        let (m, negative) = if na == nb {
            (p + q, na)
        } else if p >= q {
            (p - q, na)
        } else {
            (q - p, !na)
        };
        (m < 1 << 96).then_some((m, negative, scale))
    }

    /// A running sum `start + a + b + …`, each step [`add`]'s result to the bit, held as
    /// digits, sign and scale rather than as a `Decimal`. Why: a `Decimal` made by
    /// `from_parts` is stored in 4- and 8-byte pieces and then copied by one 16-byte load,
    /// which the processor cannot forward from those stores; in `discretion`'s loop over the
    /// factors that one load, on the sum's dependency chain, was 5–6% of a numbers-only
    /// decision's time. These parts stay in registers (or are spilled and reloaded at their
    /// own width); only [`Sum::value`] makes the `Decimal`.
    #[derive(Clone, Copy, Debug)]
    pub(crate) struct Sum {
        /// The magnitude (at most 96 bits).
        digits: u128,
        /// The sign bit as the `Decimal` would carry it (so also on a zero given negative).
        negative: bool,
        scale: u32,
    }

    impl Sum {
        /// The sum of nothing but `start`.
        #[inline(always)]
        pub(crate) fn new(start: Decimal) -> Sum {
            let (digits, negative, scale) = parts(start);
            Sum {
                digits,
                negative,
                scale,
            }
        }

        /// `self = add(self, b)`; `false` (and `self` unchanged) where `add` gives `None`.
        /// Each field is written in place and the answer is a `bool`: an `Option<Sum>` or a
        /// `Result` in between was copied through the stack in overlapping pieces, the very
        /// stall this type is here to avoid.
        #[inline(always)]
        pub(crate) fn add(&mut self, b: Decimal) -> bool {
            let y = b.unpack();
            // `add`'s zero cases: either operand zero gives the other, unchanged.
            if self.digits == 0 {
                *self = Sum::new(b);
                return true;
            }
            if y.lo | y.mid | y.hi == 0 {
                return true;
            }
            let fast = u64::try_from(self.digits)
                .ok()
                .zip(digits64(y.hi, y.mid, y.lo))
                .and_then(|(ma, mb)| {
                    add_digits((ma, self.negative, self.scale), (mb, y.negative, y.scale))
                });
            match fast {
                Some((digits, negative, scale)) => {
                    self.digits = digits;
                    // As `from_u96` makes it: no sign on a zero.
                    self.negative = negative && digits != 0;
                    self.scale = scale;
                    true
                }
                None => self.add_slow(b),
            }
        }

        /// [`Sum::add`] by `Decimal`'s own sum.
        #[cold]
        #[inline(never)]
        fn add_slow(&mut self, b: Decimal) -> bool {
            match slow::add(self.value(), b) {
                Some(r) => {
                    *self = Sum::new(r);
                    true
                }
                None => false,
            }
        }

        /// The sum as a `Decimal`.
        #[inline(always)]
        pub(crate) fn value(self) -> Decimal {
            of_parts((self.digits, self.negative, self.scale))
        }
    }

    /// `a.checked_mul(b)`: for digits that fit a u64 and a product that fits 96 bits at a
    /// scale of at most 28, one widening multiply, inlined (`Decimal`'s own result, to the
    /// bit: the exact product; a zero factor gives scale-0 zero). With `add` and `sub`, some
    /// 220 instructions less a decision than `Decimal`'s calls.
    #[inline(always)]
    pub(crate) fn mul(a: Decimal, b: Decimal) -> Option<Decimal> {
        let (x, y) = (a.unpack(), b.unpack());
        let fast = if x.lo | x.mid | x.hi == 0 || y.lo | y.mid | y.hi == 0 {
            Some((0, false, 0))
        } else {
            digits64(x.hi, x.mid, x.lo)
                .zip(digits64(y.hi, y.mid, y.lo))
                .map(|(ma, mb)| (u128::from(ma) * u128::from(mb), x.scale + y.scale))
                .filter(|&(m, scale)| m < 1 << 96 && scale <= Decimal::MAX_SCALE)
                .map(|(m, scale)| (m, x.negative != y.negative, scale))
        };
        let p = match fast {
            Some(p) => p,
            None => parts(slow::mul(a, b)?),
        };
        Some(of_parts(p))
    }

    /// `x.round_dp_with_strategy(dp, strategy)`.
    pub(crate) fn round_dp(x: Decimal, dp: u32, strategy: RoundingStrategy) -> Decimal {
        let scale = x.scale();
        if scale <= dp {
            return x;
        }
        let fits = small(x)
            .filter(|(m, _, _)| *m != 0)
            .zip(POW10.get((scale - dp) as usize));
        let Some(((m, negative, _), &p)) = fits else {
            return x.round_dp_with_strategy(dp, strategy);
        };
        let (q, r) = (m / p, m % p);
        // p is a positive power of ten, so p / 2 is the exact midpoint.
        let half = p / 2;
        #[allow(deprecated)]
        let up = match strategy {
            RoundingStrategy::MidpointNearestEven | RoundingStrategy::BankersRounding => {
                r > half || (r == half && q % 2 == 1)
            }
            RoundingStrategy::MidpointTowardZero | RoundingStrategy::RoundHalfDown => r > half,
            RoundingStrategy::MidpointAwayFromZero | RoundingStrategy::RoundHalfUp => r >= half,
            RoundingStrategy::AwayFromZero | RoundingStrategy::RoundUp => r != 0,
            RoundingStrategy::ToPositiveInfinity => !negative && r != 0,
            RoundingStrategy::ToNegativeInfinity => negative && r != 0,
            RoundingStrategy::ToZero | RoundingStrategy::RoundDown => false,
        };
        // q < 2^64 / 10, so adding one cannot overflow.
        let v = q + u64::from(up);
        Decimal::from_parts((v & 0xFFFF_FFFF) as u32, (v >> 32) as u32, 0, negative, dp)
    }
}

/// A yuan amount of the decision contract, held exactly and written as a two-place string
/// (`100000.00`) only when the decision is serialised or printed: a bulk caller that reads
/// the numbers never pays for the text. Rounded half away from zero to the fen when made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(Decimal);

impl Money {
    /// The amount rounded to the fen (half away from zero).
    ///
    /// Inlined: called, the amount went to it through the stack in the caller's pieces
    /// and came back the same way, each time a copy the processor cannot forward.
    #[inline(always)]
    pub fn yuan(d: Decimal) -> Money {
        Money(dec::round_dp(d, 2, RoundingStrategy::MidpointAwayFromZero))
    }

    /// The exact amount.
    pub fn amount(self) -> Decimal {
        self.0
    }
}

/// A percentage of the decision contract (`52.00` for 52%), held exactly like [`Money`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Percent(Decimal);

impl Percent {
    /// A fraction (`0.52`) as a percentage rounded to two places (`52.00`). Inlined, as
    /// [`Money::yuan`].
    #[inline(always)]
    pub fn of_fraction(d: Decimal) -> Percent {
        let p = dec::mul(d, Decimal::ONE_HUNDRED).unwrap_or(d);
        Percent(dec::round_dp(p, 2, RoundingStrategy::MidpointAwayFromZero))
    }

    /// The percentage (`52` for 52%).
    pub fn value(self) -> Decimal {
        self.0
    }
}

macro_rules! two_place_text {
    ($t:ty) => {
        impl $t {
            /// Append the two-place text to `out`: the JSON writer's path, with no `fmt`
            /// call and no intermediate string.
            pub(crate) fn push_two_places(self, out: &mut String) {
                push_two_places(out, self.0);
            }
        }
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write_two_places(f, self.0)
            }
        }
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.to_string())
            }
        }
        impl PartialEq<str> for $t {
            fn eq(&self, other: &str) -> bool {
                let mut text = String::new();
                push_two_places(&mut text, self.0);
                text == other
            }
        }
        impl PartialEq<&str> for $t {
            fn eq(&self, other: &&str) -> bool {
                self == *other
            }
        }
    };
}
two_place_text!(Money);
two_place_text!(Percent);

/// The sign and magnitude of `r` in units of 10^-`places` (`places` ≤ 6), when `r` has at
/// most that many decimal places and the magnitude fits a u64. Zero is never negative (as
/// `mantissa` says).
#[inline(always)]
fn units_at(r: Decimal, places: u32) -> Option<(bool, u64)> {
    let u = r.unpack();
    if u.hi != 0 {
        return None;
    }
    let m = (u64::from(u.mid) << 32) | u64::from(u.lo);
    let up = FRACTION_POW10.get(places.checked_sub(u.scale)? as usize)?;
    Some((u.negative && m != 0, m.checked_mul(*up)?))
}

/// A hundred strings: `$prefix` and the two digits of each of 0 to 99, in order.
macro_rules! hundred {
    ($prefix:literal) => {
        hundred!($prefix; "0" "1" "2" "3" "4" "5" "6" "7" "8" "9")
    };
    ($prefix:literal; $($tens:literal)*) => {
        [$(
            concat!($prefix, $tens, "0"), concat!($prefix, $tens, "1"),
            concat!($prefix, $tens, "2"), concat!($prefix, $tens, "3"),
            concat!($prefix, $tens, "4"), concat!($prefix, $tens, "5"),
            concat!($prefix, $tens, "6"), concat!($prefix, $tens, "7"),
            concat!($prefix, $tens, "8"), concat!($prefix, $tens, "9"),
        )*]
    };
}

/// `00` to `99`, for writing two digits at a time. An array of strings rather than one
/// string sliced: every element has the same length, which the compiler sees, so pushing
/// one is a 16-bit move (a slice of one long string kept its character-boundary checks).
static DIGIT_PAIRS: [&str; 100] = hundred!("");

/// `.00` to `.99`: the point and both decimal places of an amount, one piece.
static POINT_PAIRS: [&str; 100] = hundred!(".");

/// `-00` to `-99`: a date's dash and the two digits of its month or day, one piece.
static DASH_PAIRS: [&str; 100] = hundred!("-");

/// 10^k for the fraction digits written here (at most six).
const FRACTION_POW10: [u64; 7] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

/// Where the digit writers write: a `String` (the hot paths) or a `Formatter` (`Display`),
/// so that both share one writer. Not `fmt::Write` itself: `String`'s `write_str` was
/// sometimes left out of line in a larger writer, a call and a `memcpy` call for each
/// piece of two bytes; `put` is always inlined, and a piece of known length is then a move.
trait Sink: std::fmt::Write {
    /// Append `s`.
    fn put(&mut self, s: &str) -> std::fmt::Result;
    /// Append `c`.
    fn put_char(&mut self, c: char) -> std::fmt::Result;
}

impl Sink for String {
    #[inline(always)]
    fn put(&mut self, s: &str) -> std::fmt::Result {
        self.push_str(s);
        Ok(())
    }
    #[inline(always)]
    fn put_char(&mut self, c: char) -> std::fmt::Result {
        self.push(c);
        Ok(())
    }
}

impl Sink for std::fmt::Formatter<'_> {
    #[inline(always)]
    fn put(&mut self, s: &str) -> std::fmt::Result {
        self.write_str(s)
    }
    #[inline(always)]
    fn put_char(&mut self, c: char) -> std::fmt::Result {
        std::fmt::Write::write_char(self, c)
    }
}

/// Write `int[.frac]`, `frac` holding `places` (≤ 6) fraction digits, with `-` first when
/// `negative`: every fraction digit, or when `trim` none of the trailing zeros (and no
/// point when none remain). No `fmt` formatting and no intermediate string: a decision
/// writes a dozen amounts into its JSON and as many into its explanation, and through `fmt`
/// and a digit buffer they were a sixth of either. Generic so that a `String` (the hot
/// paths, where each piece is an inlined push) and a `Formatter` (`Display`) share one
/// writer. The caller splits the number at the point: by a constant power of ten, which is
/// a multiplication, where a power from a table was a division instruction.
#[inline(always)]
fn write_fixed<W: Sink>(
    w: &mut W,
    negative: bool,
    (int, frac): (u64, u64),
    places: u32,
    trim: bool,
) -> std::fmt::Result {
    if negative {
        w.put_char('-')?;
    }
    write_integer(w, int)?;
    if trim && frac == 0 {
        return Ok(());
    }
    write_fraction(w, frac, places, trim)
}

/// The point and the fraction digits for [`write_fixed`]. Out of line: the amounts of an
/// explanation are mostly whole (`20万元`, `5%`), and the JSON's are written by
/// [`push_hundredths`].
#[inline(never)]
fn write_fraction<W: Sink>(w: &mut W, mut frac: u64, places: u32, trim: bool) -> std::fmt::Result {
    let mut digits = places.min(6);
    if trim {
        while digits >= 2 && frac.is_multiple_of(100) {
            frac /= 100;
            digits -= 2;
        }
        if frac.is_multiple_of(10) {
            frac /= 10;
            digits -= 1;
        }
    }
    if digits > 0 {
        w.put_char('.')?;
        for k in (0..digits).rev() {
            let p = FRACTION_POW10.get(k as usize).copied().unwrap_or(1);
            w.put_char(char::from(b'0' + (frac / p % 10) as u8))?;
        }
    }
    Ok(())
}

/// The last two digits of `g`, leading zero included.
#[inline(always)]
fn pair(g: u32) -> &'static str {
    DIGIT_PAIRS.get((g % 100) as usize).copied().unwrap_or("00")
}

/// Write `n` (below 100) without a leading zero.
#[inline(always)]
fn write_lead<W: Sink>(w: &mut W, n: u32) -> std::fmt::Result {
    if n >= 10 {
        w.put(pair(n))
    } else {
        w.put_char(char::from(b'0' + (n % 10) as u8))
    }
}

/// Write `n` (below 10^8) in decimal digits, most significant first: the leading one or two
/// digits, then two at a time, each pair cut from `n` by a division by a constant (a
/// multiplication). Amounts are almost always below 10^8 yuan, and a branch on the
/// magnitude is cheaper than finding base-100 digits in a loop and writing them back to
/// front. Each piece has one push in the code (with one per branch, a dozen, the compiler
/// stopped inlining them: a call for every two digits).
#[inline(always)]
fn write_below_1e8<W: Sink>(w: &mut W, n: u32) -> std::fmt::Result {
    let (lead, pairs) = if n < 100 {
        (n, 0)
    } else if n < 10_000 {
        (n / 100, 1)
    } else if n < 1_000_000 {
        (n / 10_000, 2)
    } else {
        (n / 1_000_000, 3)
    };
    write_lead(w, lead)?;
    if pairs >= 3 {
        w.put(pair(n / 10_000))?;
    }
    if pairs >= 2 {
        w.put(pair(n / 100))?;
    }
    if pairs >= 1 {
        w.put(pair(n))?;
    }
    Ok(())
}

/// Write `n` (below 10^8) as exactly eight digits, leading zeros included.
fn write_eight<W: Sink>(w: &mut W, n: u32) -> std::fmt::Result {
    w.put(pair(n / 1_000_000))?;
    w.put(pair(n / 10_000))?;
    w.put(pair(n / 100))?;
    w.put(pair(n))
}

/// Write `n` in decimal digits: up to 10^8 by [`write_below_1e8`], past it in groups of
/// eight digits (a u64 has at most twenty).
#[inline(always)]
fn write_integer<W: Sink>(w: &mut W, n: u64) -> std::fmt::Result {
    const E8: u64 = 100_000_000;
    match u32::try_from(n) {
        Ok(small) if n < E8 => write_below_1e8(w, small),
        _ => write_above_1e8(w, n),
    }
}

/// [`write_integer`] from 10^8: the digits above the last eight, then those eight. Out of
/// line: rare, and inlined it would only make every amount's code larger.
#[inline(never)]
fn write_above_1e8<W: Sink>(w: &mut W, n: u64) -> std::fmt::Result {
    const E8: u64 = 100_000_000;
    // Each cast is of a value below 10^8 (`n / 10^16` is below 10^4: a u64 is below
    // 2 × 10^19).
    let high = n / E8;
    if high < E8 {
        write_below_1e8(w, high as u32)?;
    } else {
        write_below_1e8(w, (high / E8) as u32)?;
        write_eight(w, (high % E8) as u32)?;
    }
    write_eight(w, (n % E8) as u32)
}

/// Append `n` in decimal digits.
pub(crate) fn push_integer(out: &mut String, n: u64) {
    let _ = write_integer(out, n);
}

/// Append the date `year-month-day` as `YYYY-MM-DD` (`year` below 10^4, `month` and `day`
/// below 100): four pieces of known length, where a push per character was ten (some 130
/// instructions a date, an explanation writes two or three).
pub(crate) fn push_date(out: &mut String, year: u32, month: u32, day: u32) {
    let dash_pair = |n: u32| DASH_PAIRS.get(n as usize).copied().unwrap_or("-00");
    out.push_str(pair(year / 100));
    out.push_str(pair(year));
    out.push_str(dash_pair(month));
    out.push_str(dash_pair(day));
}

/// Append a decimal already rounded to at most two places as `123.45`.
#[inline(never)]
fn push_two_places(out: &mut String, r: Decimal) {
    match units_at(r, 2) {
        Some((negative, hundredths)) => push_hundredths(out, negative, hundredths),
        None => {
            let _ = write_two_places(out, r);
        }
    }
}

/// Append `n / 100` with both decimal places (`-` first when `negative`): what
/// `write_fixed` writes for two places untrimmed, for a `String` only, with the point
/// and the places one three-byte piece. A decision writes fifteen such amounts into its
/// JSON and explanation; with the integer writer inlined here, one call each, some 115
/// instructions an amount (145 with a push per character and a loop over base-100 digits).
#[inline(always)]
fn push_hundredths(out: &mut String, negative: bool, n: u64) {
    if negative {
        out.push('-');
    }
    let _ = write_integer(out, n / 100);
    out.push_str(
        POINT_PAIRS
            .get((n % 100) as usize)
            .copied()
            .unwrap_or(".00"),
    );
}

/// Write a decimal already rounded to at most two places as `123.45`.
fn write_two_places<W: Sink>(w: &mut W, r: Decimal) -> std::fmt::Result {
    match units_at(r, 2) {
        Some((negative, n)) => write_fixed(w, negative, (n / 100, n % 100), 2, false),
        None => write!(w, "{r:.2}"),
    }
}

/// Amount as a legal officer writes it: `10万元`, `2500元`, `1.25万元`.
pub fn yuan_text(d: Decimal) -> String {
    let mut out = String::new();
    push_yuan(&mut out, d);
    out
}

/// Percentage text: `52%`, `7.5%` (to four places, ties to even).
pub fn percent_text(d: Decimal) -> String {
    let mut out = String::new();
    push_pct(&mut out, d);
    out
}

/// Append [`yuan_text`] to `out`: explanation lines write their amounts this way.
pub(crate) fn push_yuan(out: &mut String, d: Decimal) {
    let _ = write_yuan(out, d);
}

/// Append [`percent_text`] to `out`.
pub(crate) fn push_pct(out: &mut String, d: Decimal) {
    let _ = write_pct(out, d);
}

fn write_yuan<W: Sink>(w: &mut W, x: Decimal) -> std::fmt::Result {
    let d = dec::round_dp(x, 2, RoundingStrategy::MidpointNearestEven);
    // In fen: 万 are 10^6 fen, 元 10^2.
    let wan = match units_at(d, 2) {
        Some((negative, fen)) => {
            let wan = fen >= 1_000_000;
            let (parts, places) = if wan {
                ((fen / 1_000_000, fen % 1_000_000), 6)
            } else {
                ((fen / 100, fen % 100), 2)
            };
            write_fixed(w, negative, parts, places, true)?;
            wan
        }
        None => {
            let wan = dec::cmp(d.abs(), Decimal::from(10_000)).is_ge();
            if wan {
                write!(w, "{}", (d / Decimal::from(10_000)).round_dp(6).normalize())?;
            } else {
                write!(w, "{}", d.normalize())?;
            }
            wan
        }
    };
    w.put(if wan { "万元" } else { "元" })
}

fn write_pct<W: Sink>(w: &mut W, d: Decimal) -> std::fmt::Result {
    // In ten-thousandths of a percent: `d × 10^6` rounded to an integer. For a mantissa that
    // fits a u64 the product is exact, so that is `d` rounded to six places, without the
    // 96-bit multiplication.
    let units = if d.unpack().hi == 0 {
        units_at(
            dec::round_dp(d, 6, RoundingStrategy::MidpointNearestEven),
            6,
        )
    } else {
        d.checked_mul(Decimal::from(1_000_000))
            .map(|x| dec::round_dp(x, 0, RoundingStrategy::MidpointNearestEven))
            .and_then(|x| units_at(x, 0))
    };
    match units {
        Some((negative, n)) => write_fixed(w, negative, (n / 10_000, n % 10_000), 4, true)?,
        None => write!(
            w,
            "{}",
            d.checked_mul(Decimal::ONE_HUNDRED)
                .unwrap_or(d)
                .round_dp(4)
                .normalize()
        )?,
    }
    w.put_char('%')
}

/// [`yuan_text`] as a `Display`, for the explanation lines written through `fmt`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Yuan(pub(crate) Decimal);

impl std::fmt::Display for Yuan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write_yuan(f, self.0)
    }
}

/// [`percent_text`] as a `Display`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pct(pub(crate) Decimal);

impl std::fmt::Display for Pct {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write_pct(f, self.0)
    }
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

    /// Amounts that round to zero from below, negative zeros, and whole and fractional
    /// amounts around 1万: the writers say what `Decimal`'s own formatting of the rounded
    /// amount says, except that a zero is never written with a sign (`Decimal` writes a
    /// negative zero as `-0.00`).
    #[test]
    fn small_negatives_and_round_amounts_match_decimal_formatting() {
        let texts = [
            "-0.001",
            "-0.004",
            "-0.005",
            "0.004",
            "-0.0000001",
            "9999.995",
            "10000",
            "-10000",
            "10000.5",
            "12345.678",
            "0.5",
            "-1.25",
            "100",
            "1000000",
        ];
        let negative_zeros = (0..4).map(|scale| {
            let mut zero = Decimal::new(0, scale);
            zero.set_sign_negative(true);
            zero
        });
        // `text` of `value`, without the sign when `value` is zero.
        let unsigned = |value: Decimal, text: String| {
            if value.is_zero() {
                text.replacen('-', "", 1)
            } else {
                text
            }
        };
        for x in texts.map(d).into_iter().chain(negative_zeros) {
            let two = x.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
            let expected = unsigned(two, format!("{two:.2}"));
            assert_eq!(Money::yuan(x).to_string(), expected, "{x}");
            let mut pushed = String::new();
            Money::yuan(x).push_two_places(&mut pushed);
            assert_eq!(pushed, expected, "{x}");
            let r = x.round_dp(2);
            let slow_yuan = if r.abs() >= Decimal::from(10_000) {
                format!(
                    "{}万元",
                    (r / Decimal::from(10_000)).round_dp(6).normalize()
                )
            } else {
                format!("{}元", r.normalize())
            };
            assert_eq!(yuan_text(x), unsigned(r, slow_yuan), "{x}");
            let h = (x * Decimal::ONE_HUNDRED).round_dp(4);
            let slow_pct = format!("{}%", h.normalize());
            assert_eq!(percent_text(x), unsigned(h, slow_pct), "{x}");
        }
    }

    proptest::proptest! {
        /// The digit-by-digit writers say what `Decimal`'s own formatting says.
        #[test]
        fn fast_text_matches_decimal_formatting(m in proptest::num::i64::ANY, scale in 0u32..9) {
            let x = Decimal::new(m, scale);
            let two = x.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
            proptest::prop_assert_eq!(Money::yuan(x).to_string(), format!("{two:.2}"));
            let r = x.round_dp(2);
            let slow_yuan = if r.abs() >= Decimal::from(10_000) {
                format!("{}万元", (r / Decimal::from(10_000)).round_dp(6).normalize())
            } else {
                format!("{}元", r.normalize())
            };
            proptest::prop_assert_eq!(yuan_text(x), slow_yuan);
            if let Some(h) = x.checked_mul(Decimal::ONE_HUNDRED) {
                proptest::prop_assert_eq!(percent_text(x), format!("{}%", h.round_dp(4).normalize()));
            }
        }
    }

    proptest::proptest! {
        /// The JSON writer's amounts are the `Display` text, which is `Decimal`'s.
        #[test]
        fn pushed_amounts_match_their_text(m in proptest::num::i128::ANY, scale in 0u32..28) {
            if let Ok(x) = Decimal::try_from_i128_with_scale(m % (1i128 << 96), scale) {
                let money = Money::yuan(x);
                let mut pushed = String::from("x");
                money.push_two_places(&mut pushed);
                proptest::prop_assert_eq!(&pushed, &format!("x{money}"));
                proptest::prop_assert_eq!(money.to_string(), format!("{:.2}", money.amount()));
            }
        }
    }

    proptest::proptest! {
        /// The explanation's writers push what their `Display` writes, which is `Decimal`'s
        /// own text, also for numbers too wide for the digit writer.
        #[test]
        fn pushed_explanation_numbers_match_decimal(m in proptest::num::i128::ANY, scale in 0u32..28) {
            if let Ok(x) = Decimal::try_from_i128_with_scale(m % (1i128 << 96), scale) {
                let mut pushed = String::from("x");
                push_yuan(&mut pushed, x);
                proptest::prop_assert_eq!(&pushed, &format!("x{}", Yuan(x)));
                let r = x.round_dp(2);
                let slow_yuan = if r.abs() >= Decimal::from(10_000) {
                    format!("x{}万元", (r / Decimal::from(10_000)).round_dp(6).normalize())
                } else {
                    format!("x{}元", r.normalize())
                };
                proptest::prop_assert_eq!(&pushed, &slow_yuan);
                let mut pushed = String::from("x");
                push_pct(&mut pushed, x);
                proptest::prop_assert_eq!(&pushed, &format!("x{}", Pct(x)));
                if let Some(h) = x.checked_mul(Decimal::ONE_HUNDRED) {
                    proptest::prop_assert_eq!(&pushed, &format!("x{}%", h.round_dp(4).normalize()));
                }
            }
        }
    }

    proptest::proptest! {
        /// Rounding by moving the decimal point agrees with rounding by division.
        #[test]
        fn power_of_ten_units_round_as_division_does(m in proptest::num::i64::ANY, scale in 0u32..8,
                                                    unit in proptest::sample::select(vec!["1", "10", "100", "1000", "10000", "0.1", "0.01", "5", "50", "0.05"]),
                                                    mode in proptest::sample::select(vec![RoundingMode::HalfUp, RoundingMode::Down, RoundingMode::Up, RoundingMode::HalfEven])) {
            let r = Rounding {
                unit: Decimal::from_str(unit).unwrap(),
                unit_label: String::new(),
                mode,
            };
            let x = Decimal::new(m, scale);
            for s in [RoundingStrategy::MidpointAwayFromZero, RoundingStrategy::ToZero, RoundingStrategy::AwayFromZero, RoundingStrategy::MidpointNearestEven] {
                proptest::prop_assert_eq!(r.with(x, s), r.divided(x, s));
            }
            proptest::prop_assert_eq!(r.round(x), r.divided(x, match r.mode {
                RoundingMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
                RoundingMode::Down => RoundingStrategy::ToZero,
                RoundingMode::Up => RoundingStrategy::AwayFromZero,
                RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
            }));
        }
    }

    proptest::proptest! {
        /// The fast comparisons and rounding give `Decimal`'s own answers, to the bit
        /// (scale and sign of zero included).
        #[test]
        fn fast_decimal_ops_match_decimal(a in proptest::num::i128::ANY, sa in 0u32..29,
                                          b in proptest::num::i64::ANY, sb in 0u32..29,
                                          small in proptest::bool::ANY, dp in 0u32..12,
                                          c in proptest::num::i128::ANY) {
            let a = a >> 32; // a Decimal holds 96 bits
            let a = Decimal::from_i128_with_scale(if small { a >> 40 } else { a }, sa);
            let b = Decimal::new(b, sb);
            // Same scale as `a` (all 96 bits) and as `b`, and zero at `b`'s scale: the digits
            // alone decide these.
            let (c, d) = (Decimal::from_i128_with_scale(c >> 32, sa), Decimal::new((c >> 64) as i64, sb));
            let zb = Decimal::new(0, sb);
            // Equal values written differently: one more trailing zero, and zero's two signs.
            let b10 = b.mantissa().checked_mul(10)
                .filter(|_| sb < 28)
                .map(|m| Decimal::from_i128_with_scale(m, sb + 1))
                .unwrap_or(b);
            let zero = Decimal::ZERO;
            for (x, y) in [(a, b), (b, a), (a, a), (b, -b), (-a, a), (b, b10), (b10, b), (zero, -zero), (-zero, zero),
                           (a, c), (c, a), (-a, -c), (-c, a), (b, d), (d, b), (-b, -d), (-d, -b), (b, -d),
                           (zb, -zb), (-zb, zb), (zb, b), (-zb, b), (-b, -zb), (zb, d), (-zb, -d)] {
                proptest::prop_assert_eq!(dec::cmp(x, y), x.cmp(&y));
                proptest::prop_assert_eq!(dec::max(x, y).serialize(), x.max(y).serialize());
                proptest::prop_assert_eq!(dec::min(x, y).serialize(), x.min(y).serialize());
                let (lo, hi) = (x.min(y), x.max(y));
                for z in [a, b, Decimal::ZERO, -a] {
                    proptest::prop_assert_eq!(dec::clamp(z, lo, hi).serialize(), z.clamp(lo, hi).serialize());
                }
                same_arithmetic(x, y)?;
            }
            // Short digits at both scales, whose products fit 96 bits.
            let (e, f) = (Decimal::new((b.mantissa() >> 24) as i64, sa), Decimal::new((d.mantissa() >> 36) as i64, sb));
            for (x, y) in [(e, f), (f, e), (-e, f), (e, -f), (e, e), (-f, f), (e, zb), (-zb, f)] {
                same_arithmetic(x, y)?;
            }
            #[allow(deprecated)]
            let strategies = [RoundingStrategy::MidpointNearestEven, RoundingStrategy::MidpointAwayFromZero,
                RoundingStrategy::MidpointTowardZero, RoundingStrategy::ToZero, RoundingStrategy::AwayFromZero,
                RoundingStrategy::ToNegativeInfinity, RoundingStrategy::ToPositiveInfinity,
                RoundingStrategy::BankersRounding, RoundingStrategy::RoundHalfUp, RoundingStrategy::RoundHalfDown,
                RoundingStrategy::RoundDown, RoundingStrategy::RoundUp];
            for x in [a, b, -b, Decimal::new(5, 1), Decimal::new(-25, 1), Decimal::new(15, 2)] {
                for s in strategies {
                    proptest::prop_assert_eq!(dec::round_dp(x, dp, s).serialize(), x.round_dp_with_strategy(dp, s).serialize(), "{} dp {} {:?}", x, dp, s);
                }
            }
        }
    }

    proptest::proptest! {
        /// Clamping and rounding a range at once, with its short cut for one amount, gives what
        /// clamping and rounding each end and the recommendation in turn gives, to the bit.
        #[test]
        fn ranges_clamp_and_round_as_their_ends_do(
            ms in proptest::array::uniform5(-3_000_000i64..3_000_000),
            scales in proptest::array::uniform5(0u32..5),
            shape in 0usize..7,
            unit in proptest::sample::select(vec!["1", "100", "0.01", "1.00", "50", "0"]),
            mode in proptest::sample::select(vec![RoundingMode::HalfUp, RoundingMode::Down, RoundingMode::Up, RoundingMode::HalfEven])) {
            let ([m0, m1, m2, m3, m4], [s0, s1, s2, s3, s4]) = (ms, scales);
            let [lo, hi, rec, floor, ceil] = [(m0, s0), (m1, s1), (m2, s2), (m3, s3), (m4, s4)].map(|(m, s)| Decimal::new(m, s));
            // One amount for all three, two of them alike, or three amounts; bounds in either
            // order.
            let lo10 = Decimal::new(m0 * 10, s0 + 1); // `lo` written with one more place
            let triple = [(lo, lo, lo), (lo, hi, rec), (lo, hi, lo), (lo, lo, rec), (lo, hi, hi), (lo, lo, lo10), (lo10, lo, lo)]
                .get(shape).copied().unwrap_or((lo, hi, rec));
            for (floor, ceil) in [(floor, ceil), (ceil, floor), (floor.min(ceil), floor.max(ceil)), (floor, floor)] {
                let (l, h, r) = triple;
                proptest::prop_assert_eq!(dec::leaves(triple, floor, ceil),
                    dec::lt(r, floor) || dec::gt(r, ceil) || dec::lt(l, floor) || dec::gt(h, ceil));
                let l = dec::clamp(l, floor, ceil);
                let h = dec::clamp(h, floor, ceil);
                let r = dec::clamp(r, dec::min(l, h), dec::max(h, l));
                let bits = |(a, b, c): (Decimal, Decimal, Decimal)| (a.serialize(), b.serialize(), c.serialize());
                proptest::prop_assert_eq!(bits(dec::clamp_range(triple, floor, ceil)), bits((l, h, r)));
                let rounding = Rounding { unit: Decimal::from_str(unit).unwrap(), unit_label: String::new(), mode };
                for t in [triple, (l, h, r)] {
                    let rlo = rounding.round_within(t.0, floor, ceil);
                    let rhi = rounding.round_within(t.1, rlo, ceil);
                    let rrec = rounding.round_within(t.2, rlo, rhi);
                    proptest::prop_assert_eq!(bits(rounding.round_range(t, floor, ceil)), bits((rlo, rhi, rrec)));
                }
            }
        }
    }

    proptest::proptest! {
        /// A running `dec::Sum` is the chain of `dec::add` (and of `Decimal::checked_add`) to
        /// the bit at every step, overflowing at the same step: zeros of either sign and any
        /// scale, digits beyond 64 bits, scale gaps beyond 19 and sums beyond 96 bits included.
        #[test]
        fn running_sums_are_chains_of_add(
            terms in proptest::collection::vec(
                (proptest::num::i128::ANY, 0u32..29, 0usize..7), 1..9)) {
            let term = |(m, scale, kind): (i128, u32, usize), so_far: Option<Decimal>| {
                let m = match kind {
                    0 => 0,          // zero (its sign below)
                    1 => m >> 32,    // all 96 bits
                    2 => m >> 100,   // a few digits
                    // What cancels the sum so far, written at another scale when it can be.
                    3 => return so_far.map(|s| {
                        let r = -s;
                        r.mantissa().checked_mul(10)
                            .filter(|_| r.scale() < 28 && scale % 2 == 0)
                            .and_then(|m| Decimal::try_from_i128_with_scale(m, r.scale() + 1).ok())
                            .unwrap_or(r)
                    }),
                    _ => m >> 80,    // weights and amounts
                };
                let d = Decimal::from_i128_with_scale(m, scale);
                Some(if kind == 0 && scale % 2 == 1 { -d } else { d })
            };
            let Some((&first, rest)) = terms.split_first() else { return Ok(()) };
            let start = term(first, None).unwrap_or(Decimal::ONE);
            let mut sum = dec::Sum::new(start);
            let (mut chain, mut own) = (Some(start), Some(start));
            proptest::prop_assert_eq!(sum.value().serialize(), start.serialize());
            for &t in rest {
                let Some(x) = term(t, chain) else { break };
                chain = chain.and_then(|c| dec::add(c, x));
                own = own.and_then(|c| c.checked_add(x));
                proptest::prop_assert_eq!(chain.map(|c| c.serialize()), own.map(|c| c.serialize()));
                match chain {
                    Some(c) => {
                        proptest::prop_assert!(sum.add(x));
                        proptest::prop_assert_eq!(sum.value().serialize(), c.serialize(), "+ {}", x);
                    }
                    None => {
                        proptest::prop_assert!(!sum.add(x));
                        break;
                    }
                }
            }
        }
    }

    /// `dec`'s sum, difference and product are `Decimal`'s, to the bit, or both overflow.
    fn same_arithmetic(x: Decimal, y: Decimal) -> Result<(), proptest::test_runner::TestCaseError> {
        let bits = |r: Option<Decimal>| r.map(|r| r.serialize());
        proptest::prop_assert_eq!(
            bits(dec::add(x, y)),
            bits(x.checked_add(y)),
            "{} + {}",
            x,
            y
        );
        proptest::prop_assert_eq!(
            bits(dec::sub(x, y)),
            bits(x.checked_sub(y)),
            "{} - {}",
            x,
            y
        );
        proptest::prop_assert_eq!(
            bits(dec::mul(x, y)),
            bits(x.checked_mul(y)),
            "{} × {}",
            x,
            y
        );
        Ok(())
    }

    /// Digits at the edges of the fast paths: around 10^k (carries), u32::MAX, u64::MAX and
    /// 2^96 − 1 (overflow), at the smallest and largest scales and scale gaps around 19,
    /// both signs, zeros of every sign and scale.
    #[test]
    fn arithmetic_at_the_edges_matches_decimal() {
        let mut digits = vec![0i128, 1, 2, 5, 9, (1 << 96) - 1, (1 << 96) - 2, 1 << 95];
        for k in 1..=28u32 {
            let p = 10i128.pow(k);
            digits.extend([p - 1, p]);
        }
        for m in [u64::from(u32::MAX), u64::MAX >> 32 << 32] {
            let m = i128::from(m);
            digits.extend([m - 1, m, m + 1]);
        }
        let m = i128::from(u64::MAX);
        digits.extend([m - 1, m, m + 1, m / 2, m / 10, (m + 1) * 2 - 1]);
        let mut values = Vec::new();
        for &m in &digits {
            for scale in [0, 2, 9, 19, 20, 28] {
                for m in [m, -m] {
                    if let Ok(x) = Decimal::try_from_i128_with_scale(m, scale) {
                        values.push(x);
                    }
                }
            }
        }
        for &x in &values {
            for &y in &values {
                same_arithmetic(x, y).unwrap();
            }
        }
    }

    #[test]
    fn power_of_ten_units() {
        assert_eq!(power_of_ten(d("1")), Some(0));
        assert_eq!(power_of_ten(d("100")), Some(2));
        assert_eq!(power_of_ten(d("0.01")), Some(-2));
        assert_eq!(power_of_ten(d("1.00")), Some(0));
        assert_eq!(power_of_ten(d("50")), None);
        assert_eq!(power_of_ten(d("0")), None);
        assert_eq!(power_of_ten(d("-10")), None);
        assert_eq!(power_of_ten(d("-0")), None);
        // The definition, by logarithm and power, for every power of ten a u64 holds, its
        // neighbours and multiples, at every scale and sign.
        let slow = |unit: Decimal| -> Option<i32> {
            let m = u64::try_from(unit.mantissa()).ok().filter(|m| *m > 0)?;
            let zeros = m.ilog10();
            (10u64.checked_pow(zeros) == Some(m)).then(|| zeros as i32 - unit.scale() as i32)
        };
        for k in 0..=20u32 {
            let p = 10i128.pow(k);
            for m in [
                p,
                p - 1,
                p + 1,
                2 * p,
                5 * p,
                p << 1,
                p * 3,
                (p << 64) + p,
                p << 32,
            ] {
                for scale in 0..=28 {
                    for m in [m, -m] {
                        if let Ok(x) = Decimal::try_from_i128_with_scale(m, scale) {
                            assert_eq!(power_of_ten(x), slow(x), "{x}");
                        }
                    }
                }
            }
        }
        let top = Decimal::from_i128_with_scale(i128::from(u64::MAX), 0);
        assert_eq!(power_of_ten(top), slow(top));
    }

    /// Every number of digits and every branch of the integer writer: each power of ten and
    /// its neighbours, through a `String` and through a `Formatter`, and as hundredths.
    #[test]
    fn integers_have_their_digits_at_every_magnitude() {
        struct Digits(u64);
        impl std::fmt::Display for Digits {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write_integer(f, self.0)
            }
        }
        let mut all = vec![u64::MAX, u64::MAX - 1, u64::MAX / 100, 0];
        for k in 0..20 {
            let p = 10u64.pow(k);
            all.extend([
                p - 1,
                p,
                p + 1,
                p.saturating_mul(2),
                (p / 10).max(1).saturating_mul(99),
            ]);
        }
        for n in all {
            let mut pushed = String::from("x");
            push_integer(&mut pushed, n);
            assert_eq!(pushed, format!("x{n}"));
            assert_eq!(Digits(n).to_string(), n.to_string());
            let mut hundredths = String::new();
            push_hundredths(&mut hundredths, true, n);
            assert_eq!(hundredths, format!("-{}.{:02}", n / 100, n % 100));
        }
    }

    proptest::proptest! {
        /// Any u64 as `Display` writes it.
        #[test]
        fn any_integer_has_its_digits(n in proptest::num::u64::ANY, shift in 0u32..64) {
            let n = n >> shift;
            let mut pushed = String::new();
            push_integer(&mut pushed, n);
            proptest::prop_assert_eq!(pushed, n.to_string());
        }
    }

    #[test]
    fn formats_contract_strings() {
        assert_eq!(Money::yuan(d("100000")).to_string(), "100000.00");
        assert_eq!(Money::yuan(d("0.005")).to_string(), "0.01");
        assert_eq!(Percent::of_fraction(d("0.52")).to_string(), "52.00");
        assert_eq!(Money::yuan(d("0")).to_string(), "0.00");
        assert_eq!(Money::yuan(d("7.5")).to_string(), "7.50");
        assert_eq!(Money::yuan(d("-12.345")).to_string(), "-12.35");
        assert_eq!(
            Money::yuan(d("123456789012.1")).to_string(),
            "123456789012.10"
        );
        assert_eq!(Percent::of_fraction(d("1")).to_string(), "100.00");
        assert_eq!(yuan_text(d("70000")), "7万元");
        assert_eq!(yuan_text(d("2500")), "2500元");
    }
}
