//! A fixed pool of threads for password hashing.
//!
//! Argon2id at OWASP's minimum needs 19 MiB per hash. On tokio's blocking pool every new thread
//! gets its own malloc arena, each ends up holding a freed 19 MiB block, and RSS grew to ~480 MiB
//! under a login load (docs/performance.md). A fixed set of threads, one per core, bounds both the
//! CPU spent hashing and the memory kept for it.

use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex};

type Job = Box<dyn FnOnce() + Send>;

/// Threads that run CPU- and memory-heavy password work off the async executor.
#[derive(Debug)]
pub struct HashPool {
    jobs: Mutex<Sender<Job>>,
}

impl HashPool {
    /// Starts `threads` hashing threads (at least one).
    pub fn new(threads: usize) -> Self {
        let (tx, rx) = channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..threads.max(1) {
            let rx = rx.clone();
            let spawned =
                std::thread::Builder::new().name(format!("keygate-hash-{i}")).spawn(move || {
                    loop {
                        let job = match rx.lock() {
                            Ok(guard) => guard.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return, // the pool was dropped
                        }
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a password hashing thread");
            }
        }
        Self { jobs: Mutex::new(tx) }
    }

    /// Runs `work` on a hashing thread and waits for its result without blocking the executor.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = tx.send(work());
        });
        self.jobs
            .lock()
            .map_err(|_| anyhow::anyhow!("hash pool poisoned"))?
            .send(job)
            .map_err(|_| anyhow::anyhow!("hash pool stopped"))?;
        rx.await.map_err(|_| anyhow::anyhow!("hashing thread failed"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn runs_work_on_its_threads() {
        let pool = HashPool::new(2);
        let name =
            pool.run(|| std::thread::current().name().map(str::to_owned)).await.ok().flatten();
        assert!(name.is_some_and(|n| n.starts_with("keygate-hash-")));
        let sums = futures_sum(&pool).await;
        assert_eq!(sums, 4950);
    }

    async fn futures_sum(pool: &HashPool) -> u64 {
        let mut total = 0;
        for i in 0..100u64 {
            total += pool.run(move || i).await.unwrap_or(0);
        }
        total
    }
}
