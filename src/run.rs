//! A whole task list in one call. The sequential and parallel versions differ by one adapter
//! (`iter` vs `par_iter`); the kernel is [`run_task`] in both.

use crate::error::InputError;
use crate::task::{run_task, TaskOutput, TaskSpec};

/// Runs every task in order on the calling thread.
///
/// # Errors
/// The first task's [`InputError`], if a spec is invalid.
pub fn run_all(specs: &[TaskSpec]) -> Result<Vec<TaskOutput>, InputError> {
    specs.iter().map(run_task).collect()
}

/// Runs the tasks on rayon's pool; results come back in task order, as with [`run_all`].
///
/// # Errors
/// An [`InputError`] from one of the tasks, if a spec is invalid.
#[cfg(any(test, feature = "threads"))]
pub fn run_all_par(specs: &[TaskSpec]) -> Result<Vec<TaskOutput>, InputError> {
    use rayon::prelude::*;
    specs.par_iter().map(run_task).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task::{Job, Workload};

    #[test]
    fn parallel_equals_sequential_for_every_workload() {
        for w in Workload::ALL {
            let job = Job {
                workload: w,
                size: w.info().quick_size.min(200_000),
                tasks: 24,
                fail_task: None,
            };
            let specs = job.specs().unwrap();
            assert_eq!(run_all(&specs), run_all_par(&specs), "{w:?}");
        }
    }
}
