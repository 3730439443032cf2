//! A fixed pool of threads for password hashing, each with its own Argon2 memory.
//!
//! Argon2id needs `m_cost` of memory per hash (12 MiB by default; it was 19 MiB until issue 22).
//! On tokio's blocking pool every new thread got its own malloc arena, each ended up holding a
//! freed block of that size, and RSS grew to ~480 MiB under a login load (docs/performance.md).
//! A fixed set of threads, one per core, bounds the CPU spent hashing. Each of them allocates
//! its Argon2 memory once and hashes into it every time ([`with_argon2_memory`]), so the memory
//! kept for hashing is exactly threads × `m_cost`, and no freed block is left for the allocator
//! to hold or split (issue 22).

use std::cell::{Cell, RefCell};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex};

use argon2::Block;

thread_local! {
    /// Set on the pool's own threads: only they keep Argon2 memory between hashes.
    static HASHING_THREAD: Cell<bool> = const { Cell::new(false) };
    /// This hashing thread's Argon2 memory, grown to the largest policy-sized hash it has done.
    static ARGON2_MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Runs `work` with `blocks` Argon2 memory blocks (1 KiB each). On a hashing thread, and when
/// `blocks` is at most `keep` (the policy's own cost), the memory is the thread's, allocated
/// once and reused: Argon2 writes every block before it reads it (RFC 9106 §3.2), so stale
/// contents do not matter. Any other call (another thread, or a stored hash with a larger cost
/// than the policy's) gets memory of its own that is freed afterwards.
pub fn with_argon2_memory<T>(
    blocks: usize,
    keep: usize,
    work: impl FnOnce(&mut [Block]) -> T,
) -> T {
    if blocks > keep || !HASHING_THREAD.with(Cell::get) {
        return work(&mut vec![Block::new(); blocks]);
    }
    ARGON2_MEMORY.with(|memory| match memory.try_borrow_mut() {
        Ok(mut memory) => {
            if memory.len() < blocks {
                *memory = Vec::new(); // free the smaller block before the larger one is made
                *memory = vec![Block::new(); blocks];
            }
            work(&mut memory[..blocks])
        }
        Err(_) => work(&mut vec![Block::new(); blocks]),
    })
}

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
                    HASHING_THREAD.with(|flag| flag.set(true));
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

    #[tokio::test]
    async fn a_hashing_thread_reuses_its_argon2_memory_and_other_threads_keep_none() {
        let pool = HashPool::new(1);
        let address = || with_argon2_memory(64, 64, |memory| memory.as_ptr() as usize);
        let first = pool.run(address).await.unwrap_or(0);
        let second = pool.run(address).await.unwrap_or(1);
        assert_eq!(first, second, "the same memory both times");
        let kept = pool.run(|| ARGON2_MEMORY.with(|m| m.borrow().len())).await.unwrap_or(0);
        assert_eq!(kept, 64);
        // Larger than the policy's (an old hash): its own memory, the kept one unchanged.
        let larger = pool.run(|| with_argon2_memory(128, 64, |m| m.len())).await.unwrap_or(0);
        assert_eq!(larger, 128);
        let kept = pool.run(|| ARGON2_MEMORY.with(|m| m.borrow().len())).await.unwrap_or(0);
        assert_eq!(kept, 64);
        // Not a hashing thread: nothing kept.
        assert_eq!(with_argon2_memory(64, 64, |m| m.len()), 64);
        assert_eq!(ARGON2_MEMORY.with(|m| m.borrow().len()), 0);
    }

    async fn futures_sum(pool: &HashPool) -> u64 {
        let mut total = 0;
        for i in 0..100u64 {
            total += pool.run(move || i).await.unwrap_or(0);
        }
        total
    }
}
