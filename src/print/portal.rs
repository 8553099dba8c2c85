//! The desktop's own print dialog, through the XDG print portal
//! (`org.freedesktop.portal.Print` on the session bus): GNOME's or KDE's dialog
//! chooses the printer, the paper and the copies, and the desktop prints the PDF.
//! Where there is no portal, Knotmap prints through CUPS itself ([`super::send`]).
//!
//! Each portal call answers through a Request object's `Response` signal; the
//! signal is listened for before the call, at the path the call will use, so
//! that a quick answer is never missed.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use zbus::blocking::{Connection, Proxy};
use zbus::zvariant::{Fd, OwnedValue, Value};

use super::PrintError;
use super::send::SendError;
use crate::model::PaperSize;

const DESTINATION: &str = "org.freedesktop.portal.Desktop";
const PATH: &str = "/org/freedesktop/portal/desktop";
const PRINT: &str = "org.freedesktop.portal.Print";

/// How the desktop's print dialog ended, as the portal's response code says.
/// Knotmap cannot know more: a job the portal took may still fail in the
/// desktop's print service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortalAnswer {
    /// The portal took the document (response 0).
    HandedOver,
    /// The user cancelled the dialog (response 1).
    Cancelled,
    /// The dialog ended some other way (response 2: its backend failed, or
    /// it was closed by the desktop), so nothing was printed.
    EndedOtherwise,
}

impl PortalAnswer {
    fn of(response: u32) -> PortalAnswer {
        match response {
            0 => PortalAnswer::HandedOver,
            1 => PortalAnswer::Cancelled,
            _ => PortalAnswer::EndedOtherwise,
        }
    }
}

/// How long the dialog may stay open before Knotmap stops waiting for it: far
/// longer than anyone takes to choose a printer, short enough that a dialog
/// that froze is said to have.
pub const DIALOG_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// The session bus, where the print portal answers.
pub struct PrintPortal {
    connection: Connection,
}

/// How often a wait for the dialog looks whether the user stopped it.
const STOP_LOOKED_FOR_EVERY: std::time::Duration = std::time::Duration::from_millis(100);

impl PrintPortal {
    /// The desktop's print portal, if this session has one.
    pub fn find() -> Option<PrintPortal> {
        PrintPortal::on_bus(Connection::session().ok()?)
    }

    /// The print portal on the bus of `connection`, if one answers there.
    pub fn on_bus(connection: Connection) -> Option<PrintPortal> {
        let proxy = Proxy::new(&connection, DESTINATION, PATH, PRINT).ok()?;
        proxy.get_property::<u32>("version").ok()?;
        Some(PrintPortal { connection })
    }

    /// Shows the desktop's print dialog for the PDF at `pdf`, then prints it as
    /// the user chose. Blocks until the dialog is closed: call it off the window's thread.
    /// `parent` is the window the dialog is to stay over, as the portal names it
    /// ("x11:4a00007"), or empty. `stop`, set from another thread, closes the dialog
    /// if it is still open and ends the print with [`SendError::StoppedBeforePrinting`]
    /// (or [`SendError::StoppedWhilePrinting`] once the document was handed over).
    pub fn print(
        &self,
        parent: &str,
        title: &str,
        pdf: &Path,
        paper: PaperSize,
        stop: &AtomicBool,
    ) -> Result<PortalAnswer, PrintError> {
        self.print_within(parent, title, pdf, paper, DIALOG_TIME_LIMIT, stop)
    }

    /// [`PrintPortal::print`], waiting at most `limit` for each of the portal's answers.
    pub fn print_within(
        &self,
        parent: &str,
        title: &str,
        pdf: &Path,
        paper: PaperSize,
        limit: std::time::Duration,
        stop: &AtomicBool,
    ) -> Result<PortalAnswer, PrintError> {
        let failed = |error: zbus::Error| PrintError::from(SendError::Portal(error.to_string()));
        let proxy = Proxy::new(&self.connection, DESTINATION, PATH, PRINT).map_err(failed)?;
        let (settings, page_setup) = paper_for_the_dialog(paper);

        let token = request_token("prepare");
        let (response, results) =
            self.request(&token, limit, (stop, SendError::StoppedBeforePrinting), || {
                let options = HashMap::from([
                    ("handle_token", Value::from(token.as_str())),
                    ("modal", Value::from(true)),
                ]);
                proxy
                    .call_method("PreparePrint", &(parent, title, &settings, &page_setup, options))
                    .map(|_| ())
            })?;
        if response != 0 {
            return Ok(PortalAnswer::of(response));
        }
        let print_token: u32 = results
            .get("token")
            .and_then(|value| u32::try_from(value).ok())
            .ok_or_else(|| PrintError::from(SendError::PortalSilent("gave no answer to print with")))?;

        let file = std::fs::File::open(pdf)
            .map_err(|source| SendError::PdfUnreadable { path: pdf.to_owned(), source })?;
        let token = request_token("print");
        let (response, _) = self.request(&token, limit, (stop, SendError::StoppedWhilePrinting), || {
            let options = HashMap::from([
                ("handle_token", Value::from(token.as_str())),
                ("token", Value::from(print_token)),
                ("modal", Value::from(true)),
            ]);
            proxy.call_method("Print", &(parent, title, Fd::from(&file), options)).map(|_| ())
        })?;
        Ok(PortalAnswer::of(response))
    }

    /// Makes a portal call with `token` as its handle token, and waits for its
    /// answer; a stop closes the request (and with it the dialog) and ends with `stopped`.
    fn request(
        &self,
        token: &str,
        limit: std::time::Duration,
        (stop, stopped): (&AtomicBool, SendError),
        call: impl FnOnce() -> zbus::Result<()>,
    ) -> Result<(u32, HashMap<String, OwnedValue>), PrintError> {
        let failed = |error: zbus::Error| PrintError::from(SendError::Portal(error.to_string()));
        let sender = self
            .connection
            .unique_name()
            .map(|name| name.trim_start_matches(':').replace('.', "_"))
            .ok_or_else(|| SendError::Portal("no name on the session bus".to_owned()))?;
        let path = format!("{PATH}/request/{sender}/{token}");
        let request = Proxy::new(&self.connection, DESTINATION, path, "org.freedesktop.portal.Request")
            .map_err(failed)?;
        let mut answers = request.receive_signal("Response").map_err(failed)?;
        // Stopped before the call (between the dialog and the printing, say): nothing is handed over.
        if stop.load(Ordering::SeqCst) {
            return Err(SendError::StoppedBeforePrinting.into());
        }
        call().map_err(failed)?;
        // Waited for on a thread of its own, so that a dialog that never answers is
        // given up on; the thread ends with the connection.
        let (answered, answer) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("print dialog's answer".to_owned())
            .spawn(move || {
                let _gone = answered.send(answers.next());
            })
            .map_err(|source| PrintError::NoThread { what: "the print dialog's answer", source })?;
        let started = std::time::Instant::now();
        let message = loop {
            // An answer already in is taken before a stop: it says what happened.
            match answer.recv_timeout(STOP_LOOKED_FOR_EVERY) {
                Ok(Some(message)) => break message,
                Ok(None) | Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(SendError::PortalSilent("closed without an answer").into());
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) if stop.load(Ordering::SeqCst) => {
                    // The portal's own way to end a request: the dialog it shows closes.
                    let _already_gone = request.call_method("Close", &());
                    return Err(stopped.into());
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) if started.elapsed() >= limit => {
                    return Err(SendError::PortalTimedOut { minutes: limit.as_secs().div_ceil(60) }.into());
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            }
        };
        message.body().deserialize::<(u32, HashMap<String, OwnedValue>)>().map_err(failed)
    }
}

/// The practice's paper, portrait, as the dialog's settings and page setup (GTK's
/// names, which the portal passes on), so that the dialog proposes what the
/// sheet was laid out for.
fn paper_for_the_dialog(
    paper: PaperSize,
) -> (HashMap<&'static str, Value<'static>>, HashMap<&'static str, Value<'static>>) {
    let (name, ppd, shown, width, height) = match paper {
        PaperSize::A4 => ("iso_a4", "A4", "A4", 210.0, 297.0),
        PaperSize::Letter => ("na_letter", "Letter", "US Letter", 215.9, 279.4),
    };
    let settings = HashMap::from([
        ("paper-format", Value::from(name)),
        ("paper-width", Value::from(width.to_string())),
        ("paper-height", Value::from(height.to_string())),
        ("orientation", Value::from("portrait")),
        ("n-copies", Value::from("1")),
    ]);
    let page_setup = HashMap::from([
        ("PPDName", Value::from(ppd)),
        ("Name", Value::from(name)),
        ("DisplayName", Value::from(shown)),
        ("Width", Value::from(width)),
        ("Height", Value::from(height)),
        ("MarginTop", Value::from(0.0)),
        ("MarginBottom", Value::from(0.0)),
        ("MarginLeft", Value::from(0.0)),
        ("MarginRight", Value::from(0.0)),
        ("Orientation", Value::from("portrait")),
    ]);
    (settings, page_setup)
}

/// A token for one portal request, unique in this process.
fn request_token(what: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    format!("knotmap_{what}_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
}
