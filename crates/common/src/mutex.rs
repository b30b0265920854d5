//! A mutex taken whatever became of its last holder: the data behind each of ours (counts,
//! maps, the latest catalog) stays whole when a thread panics halfway, so a panic in one
//! request never makes every later one panic too.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// Locks `mutex`, taking it over from a holder that panicked.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mutex_poisoned_by_a_panic_is_still_taken() {
        let shared = std::sync::Arc::new(Mutex::new(1));
        let holder = std::sync::Arc::clone(&shared);
        let outcome = std::thread::spawn(move || {
            let _guard = holder.lock().expect("first lock");
            panic!("a holder panics");
        })
        .join();
        assert!(outcome.is_err(), "the thread panicked");
        assert!(shared.is_poisoned());
        *lock(&shared) += 1;
        assert_eq!(*lock(&shared), 2);
    }
}
