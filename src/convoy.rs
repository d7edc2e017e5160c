//! The GIL's convoy: a CPU-bound thread and a short I/O-like task that wakes every few
//! milliseconds, under a model of CPython's GIL with its switch interval.
//!
//! CPython 3.2's GIL (`Python/ceval_gil.h`): a thread that wants the GIL while another holds
//! it waits up to the switch interval (`sys.setswitchinterval`, 5 ms by default); if no switch
//! happened meanwhile it sets a drop request, which the holder sees at its next check between
//! bytecodes, drops the GIL and waits until another thread has taken it (so it cannot take it
//! straight back). So a task that wakes for a moment of Python code waits about one interval
//! each time a CPU-bound thread holds the GIL: the convoy effect. Without the GIL (or in
//! another process, with a GIL of its own) the task runs as soon as it wakes.
//!
//! [`Gil`] is that algorithm over `std::sync`'s `Mutex` and `Condvar` (in the browser the
//! threads build's wasm atomics); [`run`] plays both roles, and the page's processes play them
//! in two workers with [`chunk`] as the work.

use serde::{Deserialize, Serialize};
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::{Barrier, Condvar, Mutex, PoisonError};
use std::time::Duration;

/// A slice of CPU-bound work, a few microseconds (about what CPython runs between two checks
/// of its eval breaker, rounded up): `seed` in, a mix of it out.
pub fn chunk(seed: u64) -> u64 {
    let mut x = seed | 1;
    for _ in 0..512 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    black_box(x)
}

/// What one run of the experiment does.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// How many times the I/O task wakes.
    pub wakes: u32,
    /// Every how many ms it is due (its first wake one period after the start).
    pub period_ms: f64,
    /// The GIL's switch interval, in ms (`sys.setswitchinterval(s)` takes seconds).
    pub switch_ms: f64,
    /// Whether the two share the model GIL.
    pub gil: bool,
    /// Whether the CPU-bound thread runs at all (off: the I/O task alone, the baseline).
    pub cpu: bool,
    /// Chunks of work the I/O task does each time it wakes (its moment of Python code).
    pub io_chunks: u32,
}

/// One wake of the I/O task, in ms on the host's clock.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Wake {
    /// When it was due (its timer's deadline).
    pub due: f64,
    /// When its sleep ended: the timer's lateness is `woke - due`.
    pub woke: f64,
    /// When it held the GIL and ran: the convoy's wait is `ran - woke`.
    pub ran: f64,
    /// Whether another thread held the GIL when it asked (then it waited at least one switch
    /// interval, unless the holder let go of its own accord).
    pub held: bool,
    /// When its work was done.
    pub done: f64,
}

/// What a run measured, in ms on the host's clock.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Outcome {
    /// Every wake of the I/O task.
    pub wakes: Vec<Wake>,
    /// When the CPU-bound thread computed: under the GIL each span is one hold of it.
    pub cpu: Vec<(f64, f64)>,
    /// Chunks the CPU-bound thread computed: its progress.
    pub cpu_chunks: u64,
    /// How many times a drop request took the GIL from the CPU-bound thread.
    pub forced_switches: u32,
}

#[derive(Default)]
struct State {
    locked: bool,
    drop_request: bool,
    switch_number: u64,
}

/// A model of CPython's GIL: one holder at a time; a waiter asks the holder to drop it after
/// a switch interval without a switch; a holder that was asked waits for the switch.
pub struct Gil {
    state: Mutex<State>,
    cond: Condvar,
    switched: Condvar,
    /// The drop request as the holder reads it between chunks (CPython's eval breaker).
    eval_breaker: AtomicBool,
    interval: Duration,
}

impl Gil {
    /// A free GIL with a switch interval of `interval_ms`.
    pub fn new(interval_ms: f64) -> Gil {
        Gil {
            state: Mutex::new(State::default()),
            cond: Condvar::new(),
            switched: Condvar::new(),
            eval_breaker: AtomicBool::new(false),
            interval: Duration::from_secs_f64(interval_ms.max(0.0) / 1000.0),
        }
    }

    /// Takes the GIL, waiting for it: each whole interval without a switch asks the holder to
    /// drop it (CPython's `take_gil`). Returns whether another thread held it.
    pub fn take(&self) -> bool {
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let held = s.locked;
        while s.locked {
            let before = s.switch_number;
            let (next, wait) = self
                .cond
                .wait_timeout(s, self.interval)
                .unwrap_or_else(PoisonError::into_inner);
            s = next;
            if wait.timed_out() && s.locked && s.switch_number == before {
                s.drop_request = true;
                self.eval_breaker.store(true, Relaxed);
            }
        }
        s.locked = true;
        s.switch_number += 1;
        s.drop_request = false;
        self.eval_breaker.store(false, Relaxed);
        self.switched.notify_all();
        held
    }

    /// Whether a waiter asked the holder to drop the GIL.
    pub fn asked_to_drop(&self) -> bool {
        self.eval_breaker.load(Relaxed)
    }

    /// Drops the GIL; `forced` (it was asked to) waits until another thread took it, so the
    /// holder cannot take it straight back (CPython's FORCE_SWITCHING).
    pub fn drop_gil(&self, forced: bool) {
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        s.locked = false;
        self.cond.notify_one();
        if forced {
            let taken = s.switch_number;
            while s.switch_number == taken {
                s = self
                    .switched
                    .wait(s)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        }
    }
}

/// The roles [`run`] hands out: each of two threads that start together plays one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Computes until the I/O task is done.
    Cpu,
    /// Wakes `plan.wakes` times.
    Io,
}

/// A role's body, as [`run`] hands it to the two threads.
pub type RoleBody<'a> = &'a (dyn Fn(Role) + Sync);

/// Runs `plan` on two threads: `on_two_threads(f)` must call `f(Role::Cpu)` and `f(Role::Io)`
/// on two threads at the same time (rayon's `broadcast`, `std::thread::scope`). `now()` is
/// the clock in ms, `sleep(ms)` blocks the calling thread. The CPU-bound thread takes the GIL
/// before the two start and holds it whenever the I/O task does not, but for the moment it
/// takes to take it back after a switch.
pub fn run(
    plan: Plan,
    now: &(dyn Fn() -> f64 + Sync),
    sleep: &(dyn Fn(f64) + Sync),
    on_two_threads: &dyn Fn(RoleBody),
) -> Outcome {
    let gil = Gil::new(plan.switch_ms);
    let start = Barrier::new(2);
    let io_done = AtomicBool::new(false);
    let chunks = AtomicU64::new(0);
    let wakes = Mutex::new(Vec::new());
    let cpu = Mutex::new((Vec::new(), 0u32));
    on_two_threads(&|role| match role {
        Role::Cpu => {
            if !plan.cpu {
                start.wait();
                return;
            }
            let (mut spans, mut forced) = (Vec::new(), 0u32);
            if plan.gil {
                gil.take();
            }
            start.wait();

            let mut from = now();
            let mut x = 1u64;
            let mut n = 0u64;
            while !io_done.load(Relaxed) {
                x = chunk(x);
                n += 1;
                if plan.gil && gil.asked_to_drop() {
                    spans.push((from, now()));
                    forced += 1;
                    gil.drop_gil(true);
                    gil.take();
                    from = now();
                }
            }
            spans.push((from, now()));
            if plan.gil {
                gil.drop_gil(false);
            }
            chunks.store(n, Relaxed);
            *cpu.lock().unwrap_or_else(PoisonError::into_inner) = (spans, forced);
        }
        Role::Io => {
            start.wait();
            let t0 = now();
            let mut mine = Vec::with_capacity(plan.wakes as usize);
            for i in 1..=plan.wakes {
                let due = t0 + f64::from(i) * plan.period_ms;
                // No wake before its time, whatever the sleep's own clock says.
                loop {
                    let ahead = due - now();
                    if ahead <= 0.0 {
                        break;
                    }
                    sleep(ahead);
                }
                let woke = now();
                let held = plan.gil && gil.take();
                let ran = now();
                let mut x = u64::from(i);
                for _ in 0..plan.io_chunks {
                    x = chunk(x);
                }
                let done = now();
                if plan.gil {
                    gil.drop_gil(false);
                }
                mine.push(Wake {
                    due,
                    woke,
                    ran,
                    held,
                    done,
                });
            }
            io_done.store(true, Relaxed);
            *wakes.lock().unwrap_or_else(PoisonError::into_inner) = mine;
        }
    });
    let (cpu, forced_switches) = cpu.into_inner().unwrap_or_else(PoisonError::into_inner);
    Outcome {
        wakes: wakes.into_inner().unwrap_or_else(PoisonError::into_inner),
        cpu,
        cpu_chunks: chunks.into_inner(),
        forced_switches,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn native(plan: Plan) -> Outcome {
        let epoch = Instant::now();
        let now = move || epoch.elapsed().as_secs_f64() * 1000.0;
        let sleep = |ms: f64| std::thread::sleep(Duration::from_secs_f64(ms / 1000.0));
        let both = |f: RoleBody| {
            std::thread::scope(|s| {
                s.spawn(|| f(Role::Cpu));
                f(Role::Io);
            });
        };
        run(plan, &now, &sleep, &both)
    }

    const PLAN: Plan = Plan {
        wakes: 8,
        period_ms: 12.0,
        switch_ms: 4.0,
        gil: true,
        cpu: true,
        io_chunks: 4,
    };

    #[test]
    fn every_wake_is_recorded_in_order() {
        for plan in [
            PLAN,
            Plan { gil: false, ..PLAN },
            Plan { cpu: false, ..PLAN },
        ] {
            let out = native(plan);
            assert_eq!(out.wakes.len(), 8, "{plan:?}");
            for (i, w) in out.wakes.iter().enumerate() {
                assert!(
                    w.due <= w.woke && w.woke <= w.ran && w.ran <= w.done,
                    "{w:?}"
                );
                if i > 0 {
                    let gap = w.due - out.wakes[i - 1].due;
                    assert!((gap - 12.0).abs() < 1e-9, "due every period: {gap}");
                }
            }
        }
    }

    #[test]
    fn under_the_gil_a_wake_that_finds_it_held_waits_a_switch_interval_and_never_overlaps() {
        let out = native(PLAN);
        // A wake that found the CPU thread holding the GIL got it only by asking, after a
        // whole interval without a switch. The first always does: the CPU thread took the GIL
        // before either started, and lets go only when asked.
        assert!(out.wakes[0].held);
        for w in out.wakes.iter().filter(|w| w.held) {
            assert!(w.ran - w.woke >= 4.0, "waited only {} ms", w.ran - w.woke);
        }
        let held = out.wakes.iter().filter(|w| w.held).count() as u32;
        assert_eq!(
            out.forced_switches, held,
            "one forced switch per wake that found it held"
        );
        assert_eq!(
            out.cpu.len() as u32,
            held + 1,
            "a hold before each switch, and the last"
        );
        assert!(out.cpu_chunks > 0);
        // One holder at a time: no wake ran inside a span of the CPU thread's.
        for w in &out.wakes {
            for &(a, b) in &out.cpu {
                assert!(w.done <= a || w.ran >= b, "{w:?} overlaps ({a}, {b})");
            }
        }
    }

    #[test]
    fn without_the_gil_or_the_cpu_thread_nothing_waits_for_a_lock() {
        for plan in [Plan { gil: false, ..PLAN }, Plan { cpu: false, ..PLAN }] {
            let out = native(plan);
            assert_eq!(out.forced_switches, 0);
            assert!(
                out.wakes.iter().all(|w| !w.held),
                "no other holder: {plan:?}"
            );
        }
        let alone = native(Plan { cpu: false, ..PLAN });
        assert!(alone.cpu.is_empty() && alone.cpu_chunks == 0);
        let free = native(Plan { gil: false, ..PLAN });
        assert_eq!(
            free.cpu.len(),
            1,
            "computes in one span, never asked to stop"
        );
    }

    #[test]
    fn the_gil_alone_is_free_for_the_taking() {
        let gil = Gil::new(1000.0);
        let t = Instant::now();
        gil.take();
        gil.drop_gil(false);
        gil.take();
        assert!(
            t.elapsed() < Duration::from_millis(500),
            "no wait on a free GIL"
        );
        assert!(!gil.asked_to_drop());
    }
}
