//! The Mandelbrot set, rendered in bands of rows.
//!
//! Each task renders rows `y0..y1` of a `width × width·2/3` frame of the region
//! `[-2.25, 0.75] × [-1, 1]` and returns RGBA pixels for the page to draw. Rows through the
//! middle of the set cost up to [`MAX_ITER`] iterations per pixel while the top and bottom rows
//! escape at once, so equal bands carry very unequal work.

use super::{Info, Kernel};
use crate::mix::group;
use crate::mix::mix64;
use crate::task::{Partial, Step, TaskOutput};

/// Iterations after which a point counts as inside the set.
pub const MAX_ITER: u32 = 500;

/// The image's size in pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frame {
    /// Pixels per row.
    pub width: u32,
    /// Rows; always `width * 2 / 3` (at least 1), matching the region's 3:2 aspect.
    pub height: u32,
}

impl Frame {
    /// The frame for an image `width` pixels wide.
    pub fn for_width(width: u32) -> Frame {
        Frame {
            width,
            height: (width * 2 / 3).max(1),
        }
    }
}

/// A rendered band of rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Band {
    /// RGBA bytes, row-major, `4 * width * rows` long.
    pub rgba: Vec<u8>,
    /// Total iterations spent, the band's share of the work.
    pub iterations: u64,
    /// Order-free hash of every pixel's escape count, keyed by pixel position.
    pub hash: u64,
}

// ANCHOR: kernel
/// Iterations of `z ← z² + c` from `z = 0` before `|z| > 2`, capped at `max_iter`.
pub fn escape_time(cx: f64, cy: f64, max_iter: u32) -> u32 {
    let (mut x, mut y) = (0.0f64, 0.0f64);
    for n in 0..max_iter {
        let (x2, y2) = (x * x, y * y);
        if x2 + y2 > 4.0 {
            return n;
        }
        y = 2.0 * x * y + cy;
        x = x2 - y2 + cx;
    }
    max_iter
}

/// Renders rows `y0..y1` of `frame`.
///
/// # Panics
/// If `y0 > y1` or `y1 > frame.height` (the task model never asks for that).
pub fn render_rows(frame: Frame, y0: u32, y1: u32) -> Band {
    assert!(
        y0 <= y1 && y1 <= frame.height,
        "rows {y0}..{y1} outside the frame"
    );
    let (w, h) = (frame.width, frame.height);
    let mut band = Band {
        rgba: Vec::with_capacity(4 * w as usize * (y1 - y0) as usize),
        iterations: 0,
        hash: 0,
    };
    for y in y0..y1 {
        let cy = 1.0 - (f64::from(y) + 0.5) * 2.0 / f64::from(h);
        for x in 0..w {
            let cx = -2.25 + (f64::from(x) + 0.5) * 3.0 / f64::from(w);
            let n = escape_time(cx, cy, MAX_ITER);
            let pixel = u64::from(y) * u64::from(w) + u64::from(x);
            band.iterations += u64::from(n);
            band.hash = band.hash.wrapping_add(mix64(pixel << 16 | u64::from(n)));
            band.rgba.extend_from_slice(&colour(n));
        }
    }
    band
}
// ANCHOR_END: kernel

/// Roughly how many iterations row `y` of `frame` takes, for estimating a task's time before
/// running it: the escape times of at most 32 evenly spaced pixels, scaled up to the row.
pub fn row_work(frame: Frame, y: u32) -> f64 {
    let (w, h) = (frame.width, frame.height);
    let cols = w.min(32);
    let cy = 1.0 - (f64::from(y) + 0.5) * 2.0 / f64::from(h);
    let sampled: u64 = (0..cols)
        .map(|i| {
            let cx = -2.25 + (f64::from(i * w / cols) + 0.5) * 3.0 / f64::from(w);
            u64::from(escape_time(cx, cy, MAX_ITER)) + 1
        })
        .sum();
    sampled as f64 * f64::from(w) / f64::from(cols)
}

/// Gradient stops from fast escape to slow escape: night blue, teal, amber, near-white.
const STOPS: [[f64; 3]; 4] = [
    [12.0, 18.0, 48.0],
    [24.0, 120.0, 140.0],
    [240.0, 170.0, 60.0],
    [255.0, 248.0, 230.0],
];

/// The RGBA colour for an escape count; points inside the set are near-black.
fn colour(n: u32) -> [u8; 4] {
    if n >= MAX_ITER {
        return [8, 10, 20, 255];
    }
    // sqrt spreads the many fast-escaping points over more of the gradient.
    let t = (f64::from(n) / f64::from(MAX_ITER)).sqrt() * (STOPS.len() - 1) as f64;
    let i = (t as usize).min(STOPS.len() - 2);
    let f = t - i as f64;
    let mut rgba = [0, 0, 0, 255];
    for (c, out) in rgba.iter_mut().take(3).enumerate() {
        *out = (STOPS[i][c] + (STOPS[i + 1][c] - STOPS[i][c]) * f).round() as u8;
    }
    rgba
}

/// Mandelbrot bands as a workload.
pub struct Mandelbrot;

static INFO: Info = Info {
    id: "mandelbrot",
    label: "Mandelbrot",
    blurb: "Renders the Mandelbrot set in bands of rows; bands through the set's body cost far more than the edges.",
    size_label: "image width (px)",
    tasks_note: "at most one per row",
    min_size: 16,
    max_size: 4_096,
    default_size: 2_400,
    quick_size: 1_200,
    default_tasks: 80,
    benchmark: true,
    sleeps: false,
    picture: true,
    experiment: false,
    kernel_file: "mandelbrot.rs",
    python: "W, H = {size}, {items}  # image size
MAX_ITER = 500

def escape_time(cx, cy):
    x = y = 0.0
    for n in range(MAX_ITER):
        if x * x + y * y > 4.0:
            return n
        x, y = x * x - y * y + cx, 2 * x * y + cy
    return MAX_ITER

def task(lo, hi):  # a band of rows
    return [[escape_time(-2.25 + (x + 0.5) * 3 / W, 1 - (y + 0.5) * 2 / H)
             for x in range(W)] for y in range(lo, hi)]",
    // 2,400 px on the main thread: 1.78 s.
    ns_per_unit: 3.5,
};

impl Kernel for Mandelbrot {
    fn info(&self) -> &'static Info {
        &INFO
    }

    fn items(&self, size: u64) -> u64 {
        u64::from(Frame::for_width(size as u32).height)
    }

    fn run(&self, size: u64, lo: u64, hi: u64, out: &mut TaskOutput) {
        let band = render_rows(Frame::for_width(size as u32), lo as u32, hi as u32);
        out.partial = Partial {
            count: band.iterations,
            sum: band.hash,
        };
        out.pixels = band.rgba;
        out.steps.push(Step::Print {
            text: format!(
                "rows {}–{}: {} iterations",
                lo,
                hi.saturating_sub(1),
                group(band.iterations)
            ),
        });
    }

    fn headline(&self, total: Partial, size: u64) -> String {
        let f = Frame::for_width(size as u32);
        format!(
            "{}×{} pixels, {} iterations",
            f.width,
            f.height,
            group(total.count)
        )
    }

    /// Samples every row once, so each task's estimate is a difference of two sums.
    fn work(&self, size: u64) -> Box<dyn Fn(u64, u64) -> f64 + '_> {
        let frame = Frame::for_width(size as u32);
        let mut rows = vec![0.0];
        for y in 0..frame.height {
            rows.push(rows[y as usize] + row_work(frame, y));
        }
        Box::new(move |lo, hi| {
            let at = |y: u64| rows[(y as usize).min(rows.len() - 1)];
            at(hi) - at(lo)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_points() {
        assert_eq!(escape_time(0.0, 0.0, MAX_ITER), MAX_ITER);
        assert_eq!(escape_time(-1.0, 0.0, MAX_ITER), MAX_ITER);
        assert_eq!(escape_time(-2.0, 0.0, MAX_ITER), MAX_ITER);
        assert_eq!(escape_time(2.0, 2.0, MAX_ITER), 1);
        // c = 1: z = 0, 1, 2, 5 -> |z| passes 2 after the third step.
        assert_eq!(escape_time(1.0, 0.0, MAX_ITER), 3);
    }

    #[test]
    fn frame_is_three_by_two() {
        assert_eq!(
            Frame::for_width(1200),
            Frame {
                width: 1200,
                height: 800
            }
        );
        assert_eq!(Frame::for_width(1).height, 1);
    }

    #[test]
    fn image_is_symmetric_about_the_real_axis() {
        let frame = Frame::for_width(90);
        let whole = render_rows(frame, 0, frame.height);
        let row = |y: u32| {
            let len = 4 * frame.width as usize;
            &whole.rgba[y as usize * len..(y as usize + 1) * len]
        };
        for y in 0..frame.height / 2 {
            assert_eq!(row(y), row(frame.height - 1 - y), "row {y}");
        }
    }

    #[test]
    fn bands_add_up_to_the_whole() {
        let frame = Frame::for_width(120);
        let whole = render_rows(frame, 0, frame.height);
        let (a, b) = (
            render_rows(frame, 0, 33),
            render_rows(frame, 33, frame.height),
        );
        assert_eq!(whole.iterations, a.iterations + b.iterations);
        assert_eq!(whole.hash, a.hash.wrapping_add(b.hash));
        assert_eq!(whole.rgba, [a.rgba, b.rgba].concat());
        assert_eq!(whole.rgba.len(), 4 * 120 * 80);
    }

    #[test]
    fn inside_is_dark_and_outside_is_not() {
        assert_eq!(colour(MAX_ITER), [8, 10, 20, 255]);
        assert_eq!(colour(0), [12, 18, 48, 255]);
        assert_ne!(colour(MAX_ITER - 1), colour(MAX_ITER));
    }
}
