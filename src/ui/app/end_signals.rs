//! Ending when the system asks: a logout or shutdown (SIGTERM), Ctrl+C in the
//! terminal that started the app (SIGINT), or that terminal closing (SIGHUP).
//! Without this the process dies on the spot and an edit made a second before
//! is lost, since the autosave waits a moment for the typing to settle.
//!
//! A signal handler may do almost nothing safely, so it only raises a flag; a
//! thread that waits for the signals then wakes the window, whose next frame
//! saves every pending edit and closes (see `KnotmapApp::with_shutdown_request`).
//! A second signal while the first is being served ends the process at once, so
//! a window that cannot draw (a frozen compositor) still goes when told twice.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

/// The signals that mean "end now, but tidily".
pub const END_SIGNALS: [i32; 3] = [SIGTERM, SIGINT, SIGHUP];

/// Starts listening for the end signals; the flag returned is raised when one
/// comes, and `ctx` is asked for a frame so that the app sees it.
pub fn watch_end_signals(ctx: egui::Context) -> std::io::Result<Arc<AtomicBool>> {
    let requested = Arc::new(AtomicBool::new(false));
    for signal in END_SIGNALS {
        // Registered first, so the second signal finds the flag up and exits.
        signal_hook::flag::register_conditional_shutdown(signal, 1, Arc::clone(&requested))?;
    }
    let mut signals = signal_hook::iterator::Signals::new(END_SIGNALS)?;
    let raised = Arc::clone(&requested);
    std::thread::Builder::new().name("end signals".to_owned()).spawn(move || {
        for _ in signals.forever() {
            raised.store(true, Ordering::SeqCst);
            ctx.request_repaint();
        }
    })?;
    Ok(requested)
}
