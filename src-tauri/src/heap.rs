//! Hands the heap's free pages back to the system once startup has settled.
//!
//! Startup allocates and frees far more than the app then holds: the webview's assets are
//! decompressed, the demo gateway and the stores open, the first lists are serialised. glibc's
//! allocator keeps what was freed in the middle of its heaps, and in the arenas of the threads
//! that did the work, for reuse; it only returns free space at the very top of the main heap by
//! itself. One `malloc_trim` after startup returns the rest. Measured under Xvfb (BENCHMARKS.md):
//! 1.2–1.3 MiB less idle memory in the app process.

use std::time::Duration;

/// Long enough after launch for the page, the first IPC round and the demo gateway to be done.
pub const TRIM_AFTER_START: Duration = Duration::from_secs(10);

/// Waits [`TRIM_AFTER_START`], then trims.
pub async fn trim_after_startup() {
    tokio::time::sleep(TRIM_AFTER_START).await;
    let released = trim();
    log::debug!("heap trimmed after startup; memory released: {released}");
}

/// Returns the allocator's free pages to the system: whether any were released. Only glibc has
/// `malloc_trim`; elsewhere there is nothing to do.
pub fn trim() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists, under its own locks.
    unsafe {
        libc::malloc_trim(0) == 1
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    false
}

#[cfg(all(test, target_os = "linux", target_env = "gnu"))]
mod tests {
    use super::*;

    fn resident_kib() -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }

    #[test]
    fn freed_memory_held_below_a_live_block_goes_back_to_the_system() {
        // 48 MiB in small blocks, each written so it is resident, then all freed but the last:
        // the live block pins the heap's top, so glibc keeps the free space below it.
        const BLOCKS: usize = 48 * 1024;
        let mut blocks: Vec<Box<[u8; 1024]>> = (0..BLOCKS).map(|_| Box::new([7u8; 1024])).collect();
        let pinned = blocks.pop().unwrap();
        drop(blocks);
        let before = resident_kib();
        assert!(trim(), "malloc_trim released nothing");
        let after = resident_kib();
        assert!(
            before.saturating_sub(after) >= 32 * 1024,
            "resident {before} KiB before the trim, {after} KiB after"
        );
        assert_eq!(pinned[0], 7);
    }
}
