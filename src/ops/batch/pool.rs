//! Running a job over many files on a pool of threads, results in input order, a panic in one
//! file being that file's error.
use crate::error::{Error, Result};
use crate::xlsx::XlsxError;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// What a batch tells whoever watches it, a progress bar say: each file finished, each result
/// about to be emitted and emitted, the end. Every method does nothing unless implemented; `()`
/// watches nothing.
pub trait Watch {
    /// One file finished (`failed`: with an error).
    fn finished(&mut self, _failed: bool) {}
    /// A result is about to be emitted (a bar on the same terminal steps aside).
    fn emitting(&mut self) {}
    /// A result was emitted.
    fn emitted(&mut self) {}
    /// Every file is done.
    fn end(&mut self) {}
}

impl Watch for () {}

/// The number of worker threads by default: the cores available.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

/// Runs `job` on every file with `jobs` threads and hands each result to `emit` on the calling
/// thread, in the order of `files` (each as soon as it and every file before it are done). A
/// panic in `job` becomes that file's error. `progress` is told as files finish ([`Watch`]).
///
/// ```
/// use risksheet::ops::batch::run;
/// use std::path::PathBuf;
/// let files: Vec<PathBuf> = (1..=20).map(|i| PathBuf::from(format!("{i}.xlsx"))).collect();
/// let mut seen = Vec::new();
/// run(&files, 4, &mut (), |p| {
///     let n: u32 = p.file_stem().unwrap().to_str().unwrap().parse().unwrap();
///     if n == 7 { panic!("boom") }
///     if n % 5 == 0 { Err(risksheet::Error::usage("five")) } else { Ok(n * 2) }
/// }, |p, r| seen.push((p.display().to_string(), r.ok())));
/// assert_eq!(seen.len(), 20);
/// assert_eq!(seen[0], ("1.xlsx".to_string(), Some(2)));
/// assert_eq!(seen[4].1, None);
/// assert_eq!(seen[6].1, None);
/// assert_eq!(seen[19].0, "20.xlsx");
/// ```
pub fn run<T, F, G>(files: &[PathBuf], jobs: usize, progress: &mut dyn Watch, job: F, mut emit: G)
where
    T: Send,
    F: Fn(&Path) -> Result<T> + Sync,
    G: FnMut(&Path, Result<T>),
{
    let n = files.len();
    let workers = jobs.max(1).min(n.max(1));
    let next = AtomicUsize::new(0);
    let (tx, rx) = std::sync::mpsc::channel::<(usize, Result<T>)>();
    std::thread::scope(|s| {
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, job) = (&next, &job);
            s.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let path = &files[i];
                let r = crate::error::catch_panic(|| job(path))
                    .unwrap_or_else(|what| Err(Error::from(XlsxError::Corrupt(format!("internal error: {what}").into())).in_file(path)));
                if tx.send((i, r)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let mut pending: Vec<Option<Result<T>>> = (0..n).map(|_| None).collect();
        let mut emitted = 0;
        for (i, r) in rx {
            progress.finished(r.is_err());
            pending[i] = Some(r);
            while emitted < n {
                let Some(r) = pending[emitted].take() else { break };
                progress.emitting();
                emit(&files[emitted], r);
                progress.emitted();
                emitted += 1;
            }
        }
        progress.end();
    });
}
