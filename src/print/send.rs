//! Sending a PDF to a printer, and opening it in the desktop's viewer.
//!
//! The app prints through the desktop ([`DesktopPrinting`]): its own print dialog
//! through the XDG print portal where there is one ([`super::portal`]), and
//! CUPS's printers beside it; the command line prints through CUPS ([`Cups`]):
//! printers listed with `lpstat`, a PDF sent with `lp`. All of it runs off the
//! window's thread. Behind the [`PrintService`] trait, so that tests print to a
//! double and never to paper.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::model::PaperSize;

use super::PrintError;

/// Why a PDF was not printed or opened, each in the words the user needs.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("there is no printer {0}")]
    NoPrinter(String),
    #[error("no PDF viewer is set up")]
    NoViewer,
    #[error("cancelled in the print dialog")]
    Cancelled,
    #[error("no temporary file for the printer: {0}")]
    NoTemporaryFile(std::io::Error),
    #[error("{}: {source}", path.display())]
    PdfUnreadable { path: std::path::PathBuf, source: std::io::Error },
    #[error("the desktop's print dialog failed: {0}")]
    Portal(String),
    #[error("the desktop's print dialog {0}")]
    PortalSilent(&'static str),
    /// The portal's response 2: the dialog was closed some other way than Cancel
    /// (GTK's for Escape or the window's close button), or its service ended.
    #[error(
        "the desktop's print dialog was closed without Print, or its print service stopped; try again, or save \
         the PDF and print it from another program"
    )]
    PortalEnded,
    #[error(
        "the desktop's print dialog did not answer within {minutes} minutes; it may have frozen. Knotmap stopped \
         waiting for it: close it if it is still open, or save the PDF and print it from another program"
    )]
    PortalTimedOut { minutes: u64 },
    #[error("you stopped waiting, and Knotmap closed the desktop's print dialog: nothing was printed")]
    StoppedBeforePrinting,
    #[error(
        "you stopped waiting for the desktop's printing after the document was handed to it: it may still \
         print, and the printer's queue would show it"
    )]
    StoppedWhilePrinting,
    #[error(
        "no print service was found ({program} is not installed): save the PDF and print it from another program"
    )]
    NotInstalled { program: String },
    #[error("{program} could not be started: {source}")]
    NotStarted { program: String, source: std::io::Error },
    #[error("{program} could not be waited for: {source}")]
    NotWaitedFor { program: String, source: std::io::Error },
    #[error("stopped: {program} was still running when Knotmap was asked to end")]
    Ended { program: String },
    #[error(
        "the print service did not answer within {seconds} s ({program}); the print server may be stopped or \
         frozen, so nothing was printed"
    )]
    TimedOut { program: String, seconds: u64 },
    #[error(
        "there is no printer called {printer}; `lpstat -e` lists the printers there are (lp said: {said})"
    )]
    UnknownPrinter { printer: String, said: String },
    #[error(
        "the print server (CUPS) is not running, so nothing was printed; start it, or save the PDF and \
         print it from another program (lp said: {said})"
    )]
    ServerStopped { said: String },
    /// The program's own words, or its exit status when it said nothing.
    #[error("{said}")]
    Failed { program: String, said: String },
    #[error(
        "no program to open PDFs was found ({opener} is not installed): save the PDF, and open it from \
         the file manager"
    )]
    NoViewerProgram { opener: &'static str },
    #[error("the PDF viewer could not be started ({opener}: {source})")]
    ViewerNotStarted { opener: &'static str, source: std::io::Error },
}

/// A printer the print service offers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Printer {
    pub name: String,
    /// The desktop's default printer.
    pub is_default: bool,
    /// Printing asks the user first (the desktop's print dialog): not for many at once.
    pub asks: bool,
}

/// Where PDFs are printed.
pub trait PrintService: Send + Sync {
    /// The printers there are; empty when there are none.
    fn printers(&self) -> Result<Vec<Printer>, PrintError>;
    /// Sends the PDF at `pdf` to `printer`, on `paper`, `copies` times, as a job
    /// called `title` (see [`super::DocumentKind::job_title`]). `stop`, set from
    /// another thread (the user's "Stop waiting"), ends the wait where the service
    /// can end it; each print has its own, so a stop never reaches another print.
    fn print(
        &self,
        pdf: &Path,
        printer: &str,
        title: &str,
        paper: PaperSize,
        copies: u16,
        stop: &AtomicBool,
    ) -> Result<(), PrintError>;
    /// Opens the PDF at `pdf` in the desktop's viewer, without waiting for it.
    fn open_in_viewer(&self, pdf: &Path) -> Result<(), PrintError>;
    /// The window the desktop's dialogs are to stay over, as the print portal
    /// names it ("x11:4a00007"). A service without dialogs has no use for it.
    fn set_parent_window(&self, _handle: &str) {}
}

/// How long a print service's program may take before Knotmap gives up on it
/// and says so: a frozen print server must not hang the command (or leave a
/// PDF of health data behind). `KNOTMAP_PRINT_TIMEOUT` (seconds) sets another.
pub fn time_limit() -> Duration {
    let seconds =
        std::env::var("KNOTMAP_PRINT_TIMEOUT").ok().and_then(|value| value.trim().parse::<u64>().ok());
    Duration::from_secs(seconds.unwrap_or(30).max(1))
}

/// Set by an end signal (Ctrl-C, SIGTERM, SIGHUP) while printing from the
/// command line: a program of the print service being waited for is stopped,
/// so that every temporary PDF is removed on the way out.
static END_REQUESTED: AtomicBool = AtomicBool::new(false);

/// Lets the end signals stop the print service's programs (see [`END_REQUESTED`]).
pub fn stop_on_end_signals() -> std::io::Result<()> {
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        // SAFETY: the handler only stores to an atomic flag.
        unsafe {
            signal_hook::low_level::register(signal, || END_REQUESTED.store(true, Ordering::SeqCst))?;
        }
    }
    Ok(())
}

/// The desktop's CUPS.
#[derive(Clone, Copy, Debug, Default)]
pub struct Cups;

/// What the desktop's print dialog is called among the printers.
pub const DESKTOP_DIALOG: &str = "The desktop's print dialog";

/// The desktop's printing: its print dialog where the print portal offers one
/// (first, and the default), and CUPS's printers.
#[derive(Default)]
pub struct DesktopPrinting {
    /// The portal once found; until then it is looked for again each time the
    /// printers are listed, so that a portal started after Knotmap is seen.
    portal: std::sync::Mutex<Option<std::sync::Arc<super::portal::PrintPortal>>>,
    /// Knotmap's window, for the desktop's dialog to stay over; empty until the window says.
    parent: std::sync::Mutex<String>,
}

impl DesktopPrinting {
    /// The portal, looked for again if it was not found before: when the printers
    /// are listed (the print dialog opening) and when the desktop's dialog is
    /// printed to. Printing to a CUPS printer never asks the session bus.
    fn look_for_portal(&self) -> Option<std::sync::Arc<super::portal::PrintPortal>> {
        let mut found = self.portal.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if found.is_none() {
            *found = super::portal::PrintPortal::find().map(std::sync::Arc::new);
        }
        found.clone()
    }
}

impl PrintService for DesktopPrinting {
    fn printers(&self) -> Result<Vec<Printer>, PrintError> {
        let cups = Cups.printers();
        let Some(_) = self.look_for_portal() else {
            return cups;
        };
        let dialog = Printer { name: DESKTOP_DIALOG.to_owned(), is_default: true, asks: true };
        let others =
            cups.unwrap_or_default().into_iter().map(|printer| Printer { is_default: false, ..printer });
        Ok(std::iter::once(dialog).chain(others).collect())
    }

    fn print(
        &self,
        pdf: &Path,
        printer: &str,
        title: &str,
        paper: PaperSize,
        copies: u16,
        stop: &AtomicBool,
    ) -> Result<(), PrintError> {
        let portal = if printer == DESKTOP_DIALOG { self.look_for_portal() } else { None };
        match portal {
            Some(portal) => {
                let parent = self.parent.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
                match portal.print(&parent, title, pdf, paper, stop)? {
                    super::portal::PortalAnswer::HandedOver => Ok(()),
                    super::portal::PortalAnswer::Cancelled => Err(SendError::Cancelled.into()),
                    super::portal::PortalAnswer::EndedOtherwise => Err(SendError::PortalEnded.into()),
                }
            }
            None => Cups.print(pdf, printer, title, paper, copies, stop),
        }
    }

    fn open_in_viewer(&self, pdf: &Path) -> Result<(), PrintError> {
        open_in_viewer(pdf)
    }

    fn set_parent_window(&self, handle: &str) {
        *self.parent.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = handle.to_owned();
    }
}

/// No print service at all: no printer, no viewer. What the app has until it is
/// given one, so that nothing prints by accident.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoPrinter;

impl PrintService for NoPrinter {
    fn printers(&self) -> Result<Vec<Printer>, PrintError> {
        Ok(Vec::new())
    }

    fn print(
        &self,
        _pdf: &Path,
        printer: &str,
        _title: &str,
        _paper: PaperSize,
        _copies: u16,
        _stop: &AtomicBool,
    ) -> Result<(), PrintError> {
        Err(SendError::NoPrinter(printer.to_owned()).into())
    }

    fn open_in_viewer(&self, _pdf: &Path) -> Result<(), PrintError> {
        Err(SendError::NoViewer.into())
    }
}

/// CUPS's name for a paper size.
pub fn media(paper: PaperSize) -> &'static str {
    match paper {
        PaperSize::A4 => "A4",
        PaperSize::Letter => "Letter",
    }
}

impl PrintService for Cups {
    fn printers(&self) -> Result<Vec<Printer>, PrintError> {
        let listed = run("lpstat", &["-e"])?;
        let default = run("lpstat", &["-d"]).unwrap_or_default();
        // "system default destination: office"
        let default = default.rsplit(':').next().map(str::trim).unwrap_or_default().to_owned();
        Ok(parse_printers(&listed, &default))
    }

    fn print(
        &self,
        pdf: &Path,
        printer: &str,
        title: &str,
        paper: PaperSize,
        copies: u16,
        // `lp` only queues the job, within its own time limit: there is no dialog to close.
        _stop: &AtomicBool,
    ) -> Result<(), PrintError> {
        let path = pdf.to_string_lossy();
        let media = format!("media={}", media(paper));
        let copies = copies.max(1).to_string();
        // "--" ends the options: a file whose name starts with "-" is still a file.
        let args =
            ["-d", printer, "-t", title, "-o", &media, "-o", "fit-to-page", "-n", &copies, "--", &path];
        run("lp", &args).map(|_| ()).map_err(|error| in_plain_words(error, printer))
    }

    fn open_in_viewer(&self, pdf: &Path) -> Result<(), PrintError> {
        open_in_viewer(pdf)
    }
}

/// What `lp` said, told apart: a printer that is not there is not a print server
/// that is not running, and each asks something else of the user.
fn in_plain_words(error: PrintError, printer: &str) -> PrintError {
    let PrintError::Send(SendError::Failed { said, .. }) = &error else { return error };
    let lower = said.to_lowercase();
    let said = said.clone();
    if lower.contains("does not exist") || lower.contains("unknown printer") || lower.contains("not found") {
        SendError::UnknownPrinter { printer: printer.to_owned(), said }.into()
    } else if lower.contains("scheduler")
        || lower.contains("connection refused")
        || lower.contains("not running")
    {
        SendError::ServerStopped { said }.into()
    } else {
        error
    }
}

/// The printers of `lpstat -e`'s output, one name a line.
pub fn parse_printers(listed: &str, default: &str) -> Vec<Printer> {
    listed
        .lines()
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(|name| Printer { name: name.to_owned(), is_default: name == default, asks: false })
        .collect()
}

/// Runs a program of the print service and returns what it printed; one that
/// does not finish within [`time_limit`], or is waited for when an end signal
/// comes, is stopped.
fn run(program: &str, args: &[&str]) -> Result<String, PrintError> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| {
            let program = program.to_owned();
            if error.kind() == std::io::ErrorKind::NotFound {
                SendError::NotInstalled { program }
            } else {
                SendError::NotStarted { program, source: error }
            }
        })?;
    // Read while waiting, so that a program that says much never blocks on a full pipe.
    let stdout = child.stdout.take().map(read_in_the_background);
    let stderr = child.stderr.take().map(read_in_the_background);
    let limit = time_limit();
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {}
            Err(source) => {
                return Err(SendError::NotWaitedFor { program: program.to_owned(), source }.into());
            }
        }
        let ended = END_REQUESTED.load(Ordering::SeqCst);
        if ended || started.elapsed() >= limit {
            // Killing a program that has just ended fails harmlessly; either way it is reaped.
            let _killed = child.kill();
            let _reaped = child.wait();
            let program = program.to_owned();
            return Err(if ended {
                SendError::Ended { program }
            } else {
                SendError::TimedOut { program, seconds: limit.as_secs() }
            }
            .into());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = std::process::Output {
        status,
        stdout: stdout.and_then(|reader| reader.join().ok()).unwrap_or_default(),
        stderr: stderr.and_then(|reader| reader.join().ok()).unwrap_or_default(),
    };
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        let said = String::from_utf8_lossy(&output.stderr).trim().to_owned();
        let said = if said.is_empty() { format!("{program} failed ({})", output.status) } else { said };
        Err(SendError::Failed { program: program.to_owned(), said }.into())
    }
}

/// Reads all of `pipe` on a thread of its own.
fn read_in_the_background(mut pipe: impl std::io::Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        // What could not be read is left out of the message; the exit status still says what happened.
        let _partial = pipe.read_to_end(&mut bytes);
        bytes
    })
}

/// Opens `path` in the desktop's default viewer for PDFs, without waiting for it.
pub fn open_in_viewer(path: &Path) -> Result<(), PrintError> {
    let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
    Command::new(opener)
        .arg(path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
        .map_err(|error| {
            if error.kind() == std::io::ErrorKind::NotFound {
                SendError::NoViewerProgram { opener }.into()
            } else {
                SendError::ViewerNotStarted { opener, source: error }.into()
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_printers_of_lpstat_are_listed_with_the_default_marked() {
        let printers = parse_printers("front_desk\noffice_laser\n\n", "office_laser");
        assert_eq!(
            printers,
            vec![
                Printer { name: "front_desk".into(), is_default: false, asks: false },
                Printer { name: "office_laser".into(), is_default: true, asks: false },
            ]
        );
        assert!(parse_printers("", "").is_empty());
    }
}
