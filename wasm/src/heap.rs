//! How much of the module's memory the engine holds: the allocator counts the bytes it has handed
//! out. WebAssembly memory only grows (`memory.grow` has no inverse), so the memory's size is the
//! high-water mark of every load and compile so far; what the engine keeps after one is the
//! count of bytes in use, which is what is left for a page on a kiosk or a phone.

// A global allocator is an `unsafe` trait; this wrapper only passes each call on to talc.
#![allow(unsafe_code)]

use core::alloc::{GlobalAlloc, Layout};
use core::sync::atomic::{AtomicUsize, Ordering};

/// An allocator that counts the bytes `inner` has handed out and not taken back, and the most
/// it held at once.
#[derive(Debug)]
pub struct Counted<A> {
    inner: A,
    in_use: AtomicUsize,
    peak: AtomicUsize,
}

impl<A> Counted<A> {
    /// `inner`, counted from zero.
    pub const fn new(inner: A) -> Self {
        Counted {
            inner,
            in_use: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
        }
    }

    /// Bytes allocated and not yet freed (as asked for: the allocator's own rounding and
    /// bookkeeping are not counted).
    pub fn in_use(&self) -> usize {
        self.in_use.load(Ordering::Relaxed)
    }

    /// The most bytes in use at once.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::Relaxed)
    }

    // Saturating: a count is a figure to report, and an allocator must not trap over one.
    fn grew(&self, bytes: usize) {
        let now = self.in_use().saturating_add(bytes);
        self.in_use.store(now, Ordering::Relaxed);
        if now > self.peak() {
            self.peak.store(now, Ordering::Relaxed);
        }
    }

    fn shrank(&self, bytes: usize) {
        let now = self.in_use().saturating_sub(bytes);
        self.in_use.store(now, Ordering::Relaxed);
    }
}

// SAFETY: every call is passed on to `inner` unchanged; the counters are updated only after
// `inner` succeeded, and nothing else is done with the memory.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Counted<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `alloc`'s contract, which is `inner.alloc`'s.
        let ptr = unsafe { self.inner.alloc(layout) };
        if !ptr.is_null() {
            self.grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `alloc_zeroed`'s contract, which is `inner.alloc_zeroed`'s.
        let ptr = unsafe { self.inner.alloc_zeroed(layout) };
        if !ptr.is_null() {
            self.grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller upholds `dealloc`'s contract, which is `inner.dealloc`'s.
        unsafe { self.inner.dealloc(ptr, layout) };
        self.shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller upholds `realloc`'s contract, which is `inner.realloc`'s.
        let moved = unsafe { self.inner.realloc(ptr, layout, new_size) };
        if !moved.is_null() {
            self.shrank(layout.size());
            self.grew(new_size);
        }
        moved
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::alloc::System;

    #[test]
    fn counts_what_is_held_and_the_most_held() {
        let heap = Counted::new(System);
        let layout = |size| Layout::from_size_align(size, 8).unwrap();
        // SAFETY: each pointer is freed once, with the layout it was last allocated with.
        unsafe {
            let a = heap.alloc(layout(100));
            let b = heap.alloc_zeroed(layout(1000));
            assert_eq!((heap.in_use(), heap.peak()), (1100, 1100));
            let a = heap.realloc(a, layout(100), 300);
            assert_eq!((heap.in_use(), heap.peak()), (1300, 1300));
            heap.dealloc(b, layout(1000));
            assert_eq!((heap.in_use(), heap.peak()), (300, 1300));
            heap.dealloc(a, layout(300));
            assert_eq!((heap.in_use(), heap.peak()), (0, 1300));
        }
    }
}
