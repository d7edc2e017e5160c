//! Input errors whose `Display` tells the user what was expected.

use crate::mix::group;
use std::fmt;

/// A setting the user typed (in the form or the URL) that the playground cannot use.
#[derive(Clone, Debug, PartialEq)]
pub enum InputError {
    /// A whole number was expected within bounds.
    OutOfRange {
        /// The setting's name, as in the URL (`size`, `tasks`, …).
        field: &'static str,
        /// Smallest allowed value.
        min: u64,
        /// Largest allowed value.
        max: u64,
        /// What was given, verbatim.
        got: String,
        /// Why the bound is what it is, if that is not obvious ("at most one per row").
        note: &'static str,
    },
    /// A decimal number was expected within bounds (the time scale).
    DecimalOutOfRange {
        /// The setting's name.
        field: &'static str,
        /// Smallest allowed value.
        min: f64,
        /// Largest allowed value.
        max: f64,
        /// What was given, verbatim.
        got: String,
    },
    /// On the page's thread a single task would freeze the page for too long.
    FreezesPage {
        /// Estimated ms of the longest task.
        estimated_ms: f64,
        /// Longest a main-thread task may take, in ms.
        limit_ms: f64,
        /// The fewest tasks that keep every task under the limit, if any count can.
        min_tasks: Option<u64>,
    },
    /// One of a fixed set of names was expected.
    UnknownChoice {
        /// The setting's name.
        field: &'static str,
        /// What was given, verbatim.
        got: String,
        /// The names that are accepted.
        choices: Vec<&'static str>,
    },
}

impl InputError {
    /// The setting this error is about, so the page can show it beside that field.
    pub fn field(&self) -> &'static str {
        match self {
            InputError::OutOfRange { field, .. }
            | InputError::DecimalOutOfRange { field, .. }
            | InputError::UnknownChoice { field, .. } => field,
            InputError::FreezesPage { .. } => "tasks",
        }
    }
}

/// Shows what was given: numbers as typed, anything else quoted, nothing as "nothing".
pub(crate) struct Got<'a>(pub(crate) &'a str);

impl fmt::Display for Got<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.0.trim();
        if t.is_empty() {
            f.write_str("nothing")
        } else if t.parse::<f64>().is_ok() && t.len() <= 40 {
            f.write_str(t)
        } else {
            let mut shown: String = t.chars().take(40).collect();
            if t.chars().count() > 40 {
                shown.push('…');
            }
            write!(f, "\"{shown}\"")
        }
    }
}

/// A duration in ms, shown in whole seconds (tenths below ten seconds).
struct Seconds(f64);

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0 / 1000.0;
        if s < 9.95 {
            write!(f, "{s:.1} s")
        } else {
            write!(f, "{} s", group(s.round() as u64))
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::OutOfRange {
                field,
                min,
                max,
                got,
                note,
            } => {
                write!(
                    f,
                    "{field} must be a whole number from {} to {}",
                    group(*min),
                    group(*max)
                )?;
                if !note.is_empty() {
                    write!(f, ", {note}")?;
                }
                write!(f, " (got {})", Got(got))
            }
            InputError::DecimalOutOfRange {
                field,
                min,
                max,
                got,
            } => write!(
                f,
                "{field} must be a number from {min} to {max} (got {})",
                Got(got)
            ),
            InputError::FreezesPage {
                estimated_ms,
                limit_ms,
                min_tasks,
            } => {
                write!(
                    f,
                    "on the main thread one task would freeze the page for about {} \
                     (estimated), and a task there may take at most {} so that Stop can \
                     answer between tasks: ",
                    Seconds(*estimated_ms),
                    Seconds(*limit_ms)
                )?;
                match min_tasks {
                    Some(n) => write!(f, "use at least {} tasks, or a pool", group(*n)),
                    None => f.write_str("use a smaller size, or a pool"),
                }
            }
            InputError::UnknownChoice {
                field,
                got,
                choices,
            } => write!(
                f,
                "{field} must be one of {} (got {})",
                choices.join(", "),
                Got(got)
            ),
        }
    }
}

impl std::error::Error for InputError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(got: &str) -> String {
        InputError::OutOfRange {
            field: "size",
            min: 1_000,
            max: 5_000_000,
            got: got.into(),
            note: "",
        }
        .to_string()
    }

    #[test]
    fn numbers_are_shown_as_typed_and_words_quoted() {
        assert_eq!(
            range("-5"),
            "size must be a whole number from 1,000 to 5,000,000 (got -5)"
        );
        assert_eq!(
            range("abc"),
            "size must be a whole number from 1,000 to 5,000,000 (got \"abc\")"
        );
        assert_eq!(
            range(""),
            "size must be a whole number from 1,000 to 5,000,000 (got nothing)"
        );
    }

    #[test]
    fn long_input_is_cut_short() {
        let shown = range(&"x".repeat(500));
        assert!(shown.ends_with("…\")"), "{shown}");
        assert!(shown.len() < 120);
    }

    #[test]
    fn decimal_bounds_read_naturally() {
        let e = InputError::DecimalOutOfRange {
            field: "scale",
            min: 0.01,
            max: 10.0,
            got: "fast".into(),
        };
        assert_eq!(
            e.to_string(),
            "scale must be a number from 0.01 to 10 (got \"fast\")"
        );
        assert_eq!(e.field(), "scale");
    }
}
