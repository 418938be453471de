//! The allocator of the `psephos` binary and of the Python package: the
//! system's, asking Linux to back large blocks with transparent huge pages.
//!
//! A ballot store of a million rows is some 30 MB, filled once, front to
//! back, right after it is allocated. With pages of 4 KiB that is some
//! 7,000 page faults, each a trip into the kernel, which on the virtual
//! machines most users run on costs more than the reading of the bytes that
//! fill the page. Where the system hands out huge pages on request
//! (`/sys/kernel/mm/transparent_hugepage/enabled` set to `madvise`, the
//! usual default, or `always`), a block of at least [`LARGE`] bytes is
//! advised `MADV_HUGEPAGE`, and filling it takes a fault per 2 MiB instead.
//! Nothing else changes: every call goes to [`System`] as it came, and the
//! advice is a hint that leaves the block's contents as they are (refused,
//! on a kernel without huge pages, it changes nothing). Elsewhere than on
//! Linux this is the system allocator.
//!
//! The one place in the workspace that allows `unsafe` code: a global
//! allocator is an `unsafe` trait, and `madvise` an `unsafe` call.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};

/// The system allocator, advising huge pages for large blocks.
pub struct HugePages;

/// The size of a huge page on x86-64 and of the usual one on arm64.
#[cfg(target_os = "linux")]
const HUGE: usize = 2 << 20;

/// Blocks of at least this many bytes are advised: they span at least one
/// whole huge page wherever they start.
#[cfg(target_os = "linux")]
const LARGE: usize = 2 * HUGE;

// SAFETY: every method passes its call on to `System` unchanged, so the
// blocks, their layouts and their lifetimes are `System`'s; `advise` only
// adds a hint about memory inside the block just handed out.
unsafe impl GlobalAlloc for HugePages {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is the one `System.alloc` needs.
        let block = unsafe { System.alloc(layout) };
        advise(block, layout.size());
        block
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let block = unsafe { System.alloc_zeroed(layout) };
        advise(block, layout.size());
        block
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        // SAFETY: `block` came from `System` with this layout.
        unsafe { System.dealloc(block, layout) }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `block` came from `System` with this layout, and the
        // caller's contract for `new_size` is `System.realloc`'s.
        let moved = unsafe { System.realloc(block, layout, new_size) };
        advise(moved, new_size);
        moved
    }
}

/// Advises huge pages for the whole huge pages inside the `size` bytes at
/// `block` (none when it is null or small).
#[cfg(target_os = "linux")]
fn advise(block: *mut u8, size: usize) {
    if block.is_null() || size < LARGE {
        return;
    }
    let start = (block as usize).next_multiple_of(HUGE);
    let end = (block as usize + size) & !(HUGE - 1);
    if start < end {
        // SAFETY: `start..end` lies inside the block of `size` bytes at
        // `block`, which this process owns; MADV_HUGEPAGE neither reads nor
        // changes its contents. Its result is a hint's: ignored.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn advise(_: *mut u8, _: usize) {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Large blocks, advised, keep what is written to them through a
    /// reallocation; small ones too.
    #[test]
    fn blocks_keep_their_contents() {
        for size in [24, 4 << 20, (5 << 20) + 3] {
            let layout = Layout::from_size_align(size, 8).unwrap();
            // SAFETY: the layout has a non-zero size; the block is written
            // and read within its size, then freed with the layout it has.
            unsafe {
                let block = HugePages.alloc(layout);
                assert!(!block.is_null());
                for i in (0..size).step_by(4093) {
                    *block.add(i) = (i % 251) as u8;
                }
                let grown = HugePages.realloc(block, layout, 3 * size);
                assert!(!grown.is_null());
                for i in (0..size).step_by(4093) {
                    assert_eq!(*grown.add(i), (i % 251) as u8);
                }
                HugePages.dealloc(grown, Layout::from_size_align(3 * size, 8).unwrap());
                let zeroed = HugePages.alloc_zeroed(layout);
                assert!((0..size).step_by(4093).all(|i| *zeroed.add(i) == 0));
                HugePages.dealloc(zeroed, layout);
            }
        }
    }
}
