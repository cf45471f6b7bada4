//! Length evidence: a Gale–Church-like normal on ln(len_b / len_a), with the paragraph
//! engine's estimate of ratio and variance, against the marginal distribution of a run of
//! sentences' total length on each side (so that a merge is not favoured just because
//! sums of lengths are smoother).

use super::dp::NEGLIGIBLE;
use crate::align::cost::LengthModel;
use serde::{Deserialize, Serialize};

/// Share of beads whose length follows no model, spread over ±3 in ln ratio (a factor of
/// 20), as in the paragraph engine.
const LENGTH_OUTLIERS: f64 = 0.003;
/// Runs of up to this many sentences have a marginal of their own.
const MAX_RUN: usize = 5;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct LenModel {
    pub ln_ratio: f64,
    pub var_per_char: f64,
    pub var_floor: f64,
}

impl LenModel {
    /// Before anything is learned: the ratio of total lengths and a loose variance.
    pub(super) fn from_totals(la: f64, lb: f64) -> LenModel {
        LenModel {
            ln_ratio: if la > 0.0 && lb > 0.0 {
                (lb / la).ln()
            } else {
                0.0
            },
            var_per_char: 1.0,
            var_floor: 0.01,
        }
    }

    /// The engine's robust estimate from the lengths of beads believed right.
    pub(super) fn estimate(lengths: &[(f64, f64)]) -> Option<LenModel> {
        let l: Vec<(u32, u32)> = lengths.iter().map(|&(a, b)| (a as u32, b as u32)).collect();
        LengthModel::estimate(&l).map(|m| LenModel {
            ln_ratio: m.ratio.ln(),
            var_per_char: m.var_per_char,
            var_floor: m.var_floor,
        })
    }

    /// The deviation of ln(lb / la) from the model's ratio, and its variance.
    fn deviation(&self, la: f64, lb: f64) -> (f64, f64) {
        let ratio = self.ln_ratio.exp();
        let mean = (la + lb / ratio) / 2.0;
        let var = self.var_per_char / mean + self.var_floor;
        (lb.ln() - la.ln() - self.ln_ratio, var)
    }

    /// How many standard deviations the lengths of a 1-1 bead lie from the model's ratio.
    pub(super) fn z(&self, la: f64, lb: f64) -> f64 {
        let (d, var) = self.deviation(la, lb);
        d.abs() / var.sqrt()
    }

    /// What [`ln_densities`](Self::ln_densities) takes from the model alone, worked out once
    /// for the many beads of a unit: the ratio e^ln_ratio, and the largest ln scale of the
    /// normal, -½ ln(2π var_floor) (the variance never falls below the floor).
    pub(super) fn constants(&self) -> (f64, f64) {
        (
            self.ln_ratio.exp(),
            -0.5 * (2.0 * std::f64::consts::PI * self.var_floor).ln(),
        )
    }

    /// The ln density of ln(lb) given la, and of ln(la) given lb under the model seen from
    /// side b, from the lengths and their logarithms, and the model's
    /// [`constants`](Self::constants): the two directions share all but the variance.
    pub(super) fn ln_densities(
        &self,
        (ratio, max_scale): (f64, f64),
        (la, ln_la): (f64, f64),
        (lb, ln_lb): (f64, f64),
    ) -> (f64, f64) {
        let mean = (la + lb / ratio) / 2.0;
        let d = ln_lb - ln_la - self.ln_ratio;
        let var = self.var_per_char / mean + self.var_floor;
        let var_rev = self.var_per_char / (mean * ratio) + self.var_floor;
        (
            normal_with_outliers(d, var, max_scale),
            normal_with_outliers(d, var_rev, max_scale),
        )
    }
}

/// ln of a normal density of deviation d and variance var, mixed with the outliers'
/// uniform share.
///
/// Every move of every cell of a unit's table asks for two of these, and most ask about
/// lengths so unlike that the normal adds nothing to the outliers' share: that is told
/// without an exponential, and the share returned. `max_scale` bounds -½ ln(2π var) from
/// above.
fn normal_with_outliers(d: f64, var: f64, max_scale: f64) -> f64 {
    let outliers = LENGTH_OUTLIERS / 6.0;
    let exponent = -d * d / (2.0 * var);
    if (1.0 - LENGTH_OUTLIERS).ln() + exponent + max_scale - outliers.ln() < NEGLIGIBLE {
        return outliers.ln();
    }
    let g = exponent.exp() / (2.0 * std::f64::consts::PI * var).sqrt();
    ((1.0 - LENGTH_OUTLIERS) * g + outliers).ln()
}

/// Normal fit of ln(total length) of k consecutive sentences of a side, k = 1..=5.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct Marginal {
    mean: [f64; MAX_RUN + 1],
    var: [f64; MAX_RUN + 1],
}

impl Marginal {
    /// Fit on the sentence lengths of every unit's side.
    pub(super) fn fit(sides: &[Vec<f64>]) -> Marginal {
        let mut mean = [0.0; MAX_RUN + 1];
        let mut var = [1.0; MAX_RUN + 1];
        for k in 1..=MAX_RUN {
            let xs: Vec<f64> = sides
                .iter()
                .filter(|s| s.len() >= k)
                .flat_map(|s| s.windows(k).map(|w| w.iter().sum::<f64>().ln()))
                .collect();
            if xs.len() < 2 {
                // Too few runs: one sentence's fit, shifted by ln k.
                mean[k] = mean[1] + (k as f64).ln();
                var[k] = var[1];
                continue;
            }
            let m = xs.iter().sum::<f64>() / xs.len() as f64;
            let v = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / xs.len() as f64;
            mean[k] = m;
            var[k] = v.max(0.01);
        }
        Marginal { mean, var }
    }

    /// ln density of ln(l), l the total length of k sentences.
    pub(super) fn ln_density(&self, k: usize, l: f64) -> f64 {
        let k = k.min(MAX_RUN);
        let d = l.ln() - self.mean[k];
        let v = self.var[k];
        -d * d / (2.0 * v) - 0.5 * (2.0 * std::f64::consts::PI * v).ln()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn density_peaks_at_the_ratio() {
        let m = LenModel::from_totals(100.0, 120.0);
        let at = |la: f64, lb: f64| m.ln_densities(m.constants(), (la, la.ln()), (lb, lb.ln()));
        let (peak, peak_rev) = at(50.0, 60.0);
        for (la, lb) in [(50.0, 45.0), (50.0, 80.0), (40.0, 60.0), (70.0, 60.0)] {
            let (d, d_rev) = at(la, lb);
            assert!(peak > d && peak_rev > d_rev, "{la} {lb}");
        }
        // Seen from side b, the model is the same with the sides swapped.
        let (d, d_rev) = at(50.0, 80.0);
        let swapped = LenModel {
            ln_ratio: -m.ln_ratio,
            ..m
        };
        let (s, s_rev) =
            swapped.ln_densities(swapped.constants(), (80.0, 80f64.ln()), (50.0, 50f64.ln()));
        assert!((d - s_rev).abs() < 1e-12 && (d_rev - s).abs() < 1e-12);
        // Outliers keep it finite.
        let (far, far_rev) = at(1.0, 1000.0);
        assert!(far.is_finite() && far_rev.is_finite());
    }

    #[test]
    fn the_mixture_with_its_shortcut_is_the_mixture() {
        let direct = |d: f64, var: f64| {
            let g = (-d * d / (2.0 * var)).exp() / (2.0 * std::f64::consts::PI * var).sqrt();
            ((1.0 - LENGTH_OUTLIERS) * g + LENGTH_OUTLIERS / 6.0).ln()
        };
        for floor in [0.002, 0.01, 0.3] {
            let m = LenModel {
                ln_ratio: 0.1,
                var_per_char: 1.5,
                var_floor: floor,
            };
            let (_, max_scale) = m.constants();
            for k in 0..400 {
                // Deviations from none to far beyond the normal's reach, over variances
                // from the floor up.
                let d = (k as f64 - 200.0) * 0.02;
                for var in [floor, floor * 1.7, 0.05, 0.4, 2.0] {
                    let (x, y) = (normal_with_outliers(d, var, max_scale), direct(d, var));
                    assert!(
                        (x - y).abs() <= 1e-12 * y.abs().max(1.0),
                        "{d} {var}: {x} vs {y}"
                    );
                }
            }
        }
    }

    #[test]
    fn marginal_of_runs() {
        let m = Marginal::fit(&[vec![10.0, 20.0, 40.0], vec![30.0]]);
        let ln = f64::ln;
        let close = |x: f64, y: f64| (x - y).abs() < 1e-12;
        assert!(close(
            m.mean[1],
            (ln(10.0) + ln(20.0) + ln(40.0) + ln(30.0)) / 4.0
        ));
        assert!(close(m.mean[2], (ln(30.0) + ln(60.0)) / 2.0));
        // One run of 3 is too few: one sentence's fit, shifted.
        assert!(close(m.mean[3], m.mean[1] + ln(3.0)));
        assert_eq!(m.var[3], m.var[1]);
    }
}
