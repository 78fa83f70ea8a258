//! Large sheets on all cores: the rows of a big sheet are parsed and rendered in runs, one run
//! per core, and the results joined in order. Small sheets stay on the calling thread.
use crate::error::Result;

/// Fewest rows a thread is given: below this a thread costs more than it saves.
pub const MIN_ROWS_PER_THREAD: usize = 2_000;

/// Applies `f` to consecutive runs of `items`, on one thread per run when there are at least
/// `min_per_thread` items for each, and joins the results in the order of `items`.
pub fn map_runs<T: Sync, R: Send>(items: &[T], min_per_thread: usize, f: impl Fn(&[T]) -> Result<Vec<R>> + Sync) -> Result<Vec<R>> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = cores.min(items.len() / min_per_thread.max(1)).max(1);
    if threads == 1 {
        return f(items);
    }
    let f = &f;
    let results: Vec<Result<Vec<R>>> = std::thread::scope(|s| {
        let handles: Vec<_> = items.chunks(items.len().div_ceil(threads)).map(|run| s.spawn(move || f(run))).collect();
        // A panic in a run is the caller's panic, as if it had run on this thread.
        handles.into_iter().map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))).collect()
    });
    let mut out = Vec::with_capacity(results.iter().map(|r| r.as_ref().map_or(0, Vec::len)).sum());
    for r in results {
        out.extend(r?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_join_in_order() {
        let items: Vec<u32> = (0..10_000).collect();
        let doubled = map_runs(&items, 1_000, |run| Ok(run.iter().map(|x| x * 2).collect())).unwrap();
        assert_eq!(doubled, items.iter().map(|x| x * 2).collect::<Vec<_>>());
    }
}
