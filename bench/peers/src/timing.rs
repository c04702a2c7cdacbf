//! Single-threaded, interleaved timing. The machine is a shared 2-vCPU VM whose speed drifts by
//! up to 2× within a minute, so engines are not timed one after the other: each round runs one
//! sample of every engine in turn, and a figure is the median over rounds. Ratios are taken
//! within a round (both sides saw the same machine) and their median reported with the
//! spread. A sample is one or more whole passes over every case (at least 20 ms); the clock is
//! this thread's CPU time (CLOCK_THREAD_CPUTIME_ID), wall time is kept for reference.

use std::hint::black_box;

/// This thread's CPU time, in ns.
pub fn cpu_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid pointer to a timespec; CLOCK_THREAD_CPUTIME_ID exists on Linux.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// One timed thing: a closure running one pass over its cases, returning how many it ran.
struct Item<'a> {
    key: (String, bool),
    pass: Box<dyn FnMut() -> usize + 'a>,
    reps: usize,
    /// (CPU ns, wall ns) per evaluation, one per round.
    samples: Vec<(f64, f64)>,
}

#[derive(Default)]
pub struct Suite<'a> {
    items: Vec<Item<'a>>,
}

/// Median and spread of one figure over the rounds.
#[derive(Debug, Clone, Copy)]
pub struct Stat {
    pub median_ns: f64,
    pub wall_ns: f64,
}

impl<'a> Suite<'a> {
    /// Time `f` over `inputs`; `json`: the "from JSON" column.
    pub fn add<I, O>(&mut self, engine: &str, json: bool, inputs: &'a [I], mut f: impl FnMut(&I) -> O + 'a) {
        self.items.push(Item {
            key: (engine.to_string(), json),
            pass: Box::new(move || {
                for x in inputs {
                    black_box(f(black_box(x)));
                }
                inputs.len()
            }),
            reps: 1,
            samples: Vec::new(),
        });
    }

    /// Warm up, then `rounds` rounds.
    pub fn run(&mut self, rounds: usize) {
        for it in &mut self.items {
            let c = cpu_ns();
            (it.pass)();
            let took = (cpu_ns() - c).max(1);
            it.reps = (20_000_000 / took + 1) as usize;
        }
        for _ in 0..rounds {
            for it in &mut self.items {
                let (c, w) = (cpu_ns(), std::time::Instant::now());
                let mut n = 0;
                for _ in 0..it.reps {
                    n += (it.pass)();
                }
                let n = n as f64;
                it.samples
                    .push(((cpu_ns() - c) as f64 / n, w.elapsed().as_nanos() as f64 / n));
            }
        }
    }

    fn samples(&self, engine: &str, json: bool) -> Option<&[(f64, f64)]> {
        self.items
            .iter()
            .find(|it| it.key.0 == engine && it.key.1 == json)
            .map(|it| it.samples.as_slice())
    }

    pub fn stat(&self, engine: &str, json: bool) -> Option<Stat> {
        let s = self.samples(engine, json)?;
        Some(Stat {
            median_ns: median(s.iter().map(|x| x.0).collect()),
            wall_ns: median(s.iter().map(|x| x.1).collect()),
        })
    }

    /// Median over rounds of `a ÷ b` (CPU), with the lowest and highest.
    pub fn ratio(&self, a: &str, b: &str, json: bool) -> Option<(f64, f64, f64)> {
        let (x, y) = (self.samples(a, json)?, self.samples(b, json)?);
        let mut r: Vec<f64> = x.iter().zip(y).map(|(p, q)| p.0 / q.0).collect();
        r.sort_by(|p, q| p.total_cmp(q));
        Some((median(r.clone()), r[0], r[r.len() - 1]))
    }

    pub fn engines(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for it in &self.items {
            if !out.contains(&it.key.0) {
                out.push(it.key.0.clone());
            }
        }
        out
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}
