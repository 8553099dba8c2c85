//! Printing through the desktop's print dialog (the XDG print portal), against
//! a portal of the test's own on a private D-Bus session bus: the dialog is
//! asked for first, and the PDF reaches the desktop only when the user prints.

use crate::printed;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use knotmap::print::portal::{PortalAnswer, PrintPortal};
use zbus::blocking::Connection;
use zbus::message::Header;
use zbus::zvariant::{OwnedFd, OwnedObjectPath, OwnedValue, Value};

/// A session bus of the test's own, ended when dropped.
struct PrivateBus {
    daemon: Child,
    address: String,
}

impl PrivateBus {
    /// `None` where dbus-daemon is not installed (it is in CI).
    fn start() -> Option<PrivateBus> {
        let mut daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let mut address = String::new();
        BufReader::new(daemon.stdout.take()?).read_line(&mut address).ok()?;
        Some(PrivateBus { daemon, address: address.trim().to_owned() })
    }

    fn connect(&self) -> Connection {
        zbus::blocking::connection::Builder::address(self.address.as_str())
            .expect("an address")
            .build()
            .expect("connected to the test's bus")
    }
}

impl Drop for PrivateBus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

/// How the fake desktop's print dialog ends.
#[derive(Clone, Copy, PartialEq)]
enum Dialog {
    /// The user prints: the portal takes the document.
    Prints,
    /// The user presses Cancel (response 1).
    Cancels,
    /// The dialog ends some other way (response 2): GTK's for Escape, or a failed backend.
    Fails,
    /// The dialog never answers, as a frozen one does.
    Freezes,
}

/// The desktop's side: a print dialog that ends as `dialog` says, and a
/// printer that keeps what it gets.
struct FakePortal {
    dialog: Dialog,
    printed: Arc<Mutex<Vec<Vec<u8>>>>,
    asked: Arc<Mutex<Vec<String>>>,
    closed: Closed,
}

/// A dialog the portal shows, as the request Knotmap can close.
struct FakeRequest {
    closed: Closed,
}

#[zbus::interface(name = "org.freedesktop.portal.Request")]
impl FakeRequest {
    fn close(&self) {
        *self.closed.lock().expect("not poisoned") = true;
    }
}

/// Where the answer to a request goes: the path the portal API defines.
fn request_path(header: &Header<'_>, options: &HashMap<String, OwnedValue>) -> OwnedObjectPath {
    let sender =
        header.sender().map(|s| s.as_str().trim_start_matches(':').replace('.', "_")).unwrap_or_default();
    let token = options
        .get("handle_token")
        .and_then(|t| String::try_from(t.try_clone().ok()?).ok())
        .unwrap_or_default();
    OwnedObjectPath::try_from(format!("/org/freedesktop/portal/desktop/request/{sender}/{token}"))
        .expect("a path")
}

fn answer(
    connection: &zbus::Connection,
    path: &OwnedObjectPath,
    response: u32,
    results: HashMap<&str, Value<'_>>,
) {
    let sent = zbus::block_on(connection.emit_signal(
        None::<()>,
        path,
        "org.freedesktop.portal.Request",
        "Response",
        &(response, results),
    ));
    sent.expect("the answer is sent");
}

#[zbus::interface(name = "org.freedesktop.portal.Print")]
impl FakePortal {
    #[zbus(property, name = "version")]
    fn version(&self) -> u32 {
        3
    }

    // The portal's method has these arguments; the header and connection come on top.
    #[allow(clippy::too_many_arguments)]
    fn prepare_print(
        &self,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] connection: &zbus::Connection,
        parent: &str,
        title: &str,
        settings: HashMap<String, OwnedValue>,
        page_setup: HashMap<String, OwnedValue>,
        options: HashMap<String, OwnedValue>,
    ) -> OwnedObjectPath {
        let text = |map: &HashMap<String, OwnedValue>, key: &str| {
            map.get(key).and_then(|value| String::try_from(value.try_clone().ok()?).ok()).unwrap_or_default()
        };
        let asked = format!(
            "{title} on {} ({}, {}) over {parent:?}",
            text(&settings, "paper-format"),
            text(&page_setup, "DisplayName"),
            text(&settings, "orientation")
        );
        self.asked.lock().expect("not poisoned").push(asked);
        let path = request_path(&header, &options);
        match self.dialog {
            Dialog::Prints => answer(connection, &path, 0, HashMap::from([("token", Value::from(7u32))])),
            Dialog::Cancels => answer(connection, &path, 1, HashMap::new()),
            Dialog::Fails => answer(connection, &path, 2, HashMap::new()),
            Dialog::Freezes => {
                // The dialog stays open, and can be closed through its request. Served
                // from a thread once this call is answered: the object server is busy with it now.
                let (connection, at, closed) = (connection.clone(), path.clone(), Arc::clone(&self.closed));
                std::thread::spawn(move || {
                    let served = zbus::block_on(connection.object_server().at(at, FakeRequest { closed }));
                    served.expect("the dialog's request is served");
                });
            }
        }
        path
    }

    fn print(
        &self,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] connection: &zbus::Connection,
        _parent: &str,
        _title: &str,
        fd: OwnedFd,
        options: HashMap<String, OwnedValue>,
    ) -> OwnedObjectPath {
        let mut file = std::fs::File::from(std::os::fd::OwnedFd::from(fd));
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).expect("the PDF reads");
        self.printed.lock().expect("not poisoned").push(bytes);
        let path = request_path(&header, &options);
        answer(connection, &path, 0, HashMap::new());
        path
    }
}

/// What the fake desktop printed, the titles its dialog was asked for, and
/// whether a dialog was closed by Knotmap.
type Printed = Arc<Mutex<Vec<Vec<u8>>>>;
type Asked = Arc<Mutex<Vec<String>>>;
type Closed = Arc<Mutex<bool>>;

fn portal_on(bus: &PrivateBus, dialog: Dialog) -> (Connection, Printed, Asked) {
    let (server, printed, asked, _) = portal_closable_on(bus, dialog);
    (server, printed, asked)
}

fn portal_closable_on(bus: &PrivateBus, dialog: Dialog) -> (Connection, Printed, Asked, Closed) {
    let printed = Arc::new(Mutex::new(Vec::new()));
    let asked = Arc::new(Mutex::new(Vec::new()));
    let closed = Arc::new(Mutex::new(false));
    let portal = FakePortal {
        dialog,
        printed: Arc::clone(&printed),
        asked: Arc::clone(&asked),
        closed: Arc::clone(&closed),
    };
    let server = zbus::blocking::connection::Builder::address(bus.address.as_str())
        .expect("an address")
        .name("org.freedesktop.portal.Desktop")
        .expect("the portal's name")
        .serve_at("/org/freedesktop/portal/desktop", portal)
        .expect("served")
        .build()
        .expect("the portal is up");
    (server, printed, asked, closed)
}

fn a_plan_sheet(folder: &std::path::Path) -> (std::path::PathBuf, Vec<u8>) {
    let client = printed::ana();
    let session = printed::anas_plan(&client);
    let settings = knotmap::model::PracticeSettings::default();
    let sheet = knotmap::print::SessionSheet {
        clinic_rules: &knotmap::model::ClinicRules::default(),
        settings: &settings,
        client: Some(&client),
        session: &session,
        previous: None,
        source: std::path::Path::new("clients/ana-lima/sessions/s.ron"),
        printed_at: printed::printed_at(),
        paper: knotmap::model::PaperSize::A4,
    };
    let pdf = knotmap::print::plan_sheet(&sheet).expect("laid out").pdf().expect("a PDF");
    let path = folder.join("2026-11-30-0900-ana-lima-plan.pdf");
    std::fs::write(&path, &pdf).expect("written");
    (path, pdf)
}

#[test]
fn the_desktop_s_print_dialog_is_asked_first_and_the_pdf_printed_when_the_user_prints() {
    let Some(bus) = PrivateBus::start() else {
        assert!(std::env::var_os("CI").is_none(), "dbus-daemon is needed in CI");
        return;
    };
    let (_server, printed, asked) = portal_on(&bus, Dialog::Prints);
    let folder = tempfile::tempdir().expect("temp dir");
    let (path, pdf) = a_plan_sheet(folder.path());

    let portal = PrintPortal::on_bus(bus.connect()).expect("the portal answers");
    assert_eq!(
        portal
            .print(
                "x11:4a00007",
                "Ana Lima's plan",
                &path,
                knotmap::model::PaperSize::Letter,
                &AtomicBool::new(false)
            )
            .expect("printed"),
        PortalAnswer::HandedOver
    );
    // The dialog proposes the paper the sheet was laid out for, over Knotmap's window.
    assert_eq!(
        *asked.lock().expect("not poisoned"),
        ["Ana Lima's plan on na_letter (US Letter, portrait) over \"x11:4a00007\""]
    );
    assert_eq!(*printed.lock().expect("not poisoned"), [pdf]);
}

#[test]
fn cancelling_the_desktop_s_print_dialog_prints_nothing() {
    let Some(bus) = PrivateBus::start() else {
        assert!(std::env::var_os("CI").is_none(), "dbus-daemon is needed in CI");
        return;
    };
    let (_server, printed, _) = portal_on(&bus, Dialog::Cancels);
    let folder = tempfile::tempdir().expect("temp dir");
    let (path, _) = a_plan_sheet(folder.path());

    let portal = PrintPortal::on_bus(bus.connect()).expect("the portal answers");
    assert_eq!(
        portal
            .print("", "Ana Lima's plan", &path, knotmap::model::PaperSize::Letter, &AtomicBool::new(false))
            .expect("answered"),
        PortalAnswer::Cancelled
    );
    assert!(printed.lock().expect("not poisoned").is_empty());
}

#[test]
fn a_dialog_closed_without_cancel_or_whose_backend_failed_is_not_taken_for_a_cancel_and_prints_nothing() {
    let Some(bus) = PrivateBus::start() else {
        assert!(std::env::var_os("CI").is_none(), "dbus-daemon is needed in CI");
        return;
    };
    let (_server, printed, _) = portal_on(&bus, Dialog::Fails);
    let folder = tempfile::tempdir().expect("temp dir");
    let (path, _) = a_plan_sheet(folder.path());

    let portal = PrintPortal::on_bus(bus.connect()).expect("the portal answers");
    assert_eq!(
        portal
            .print("", "Ana Lima's plan", &path, knotmap::model::PaperSize::Letter, &AtomicBool::new(false))
            .expect("answered"),
        PortalAnswer::EndedOtherwise
    );
    assert!(printed.lock().expect("not poisoned").is_empty());
    let said = knotmap::print::PrintError::from(knotmap::print::send::SendError::PortalEnded).to_string();
    // GTK's answer to Escape too: not worded as a failure, nor as a cancel.
    assert!(said.contains("closed without Print") && !said.contains("cancel"), "{said}");
}

#[test]
fn a_dialog_that_never_answers_is_given_up_on_and_said_to_have_frozen() {
    let Some(bus) = PrivateBus::start() else {
        assert!(std::env::var_os("CI").is_none(), "dbus-daemon is needed in CI");
        return;
    };
    let (_server, printed, _) = portal_on(&bus, Dialog::Freezes);
    let folder = tempfile::tempdir().expect("temp dir");
    let (path, _) = a_plan_sheet(folder.path());

    let portal = PrintPortal::on_bus(bus.connect()).expect("the portal answers");
    let limit = std::time::Duration::from_millis(300);
    let started = std::time::Instant::now();
    let error = portal
        .print_within(
            "",
            "Ana Lima's plan",
            &path,
            knotmap::model::PaperSize::A4,
            limit,
            &AtomicBool::new(false),
        )
        .expect_err("no answer, no print");
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "it stopped waiting");
    assert!(error.to_string().contains("did not answer"), "{error}");
    assert!(printed.lock().expect("not poisoned").is_empty());
}

#[test]
fn a_bus_without_a_print_portal_has_no_print_dialog() {
    let Some(bus) = PrivateBus::start() else {
        assert!(std::env::var_os("CI").is_none(), "dbus-daemon is needed in CI");
        return;
    };
    assert!(PrintPortal::on_bus(bus.connect()).is_none());
}

#[test]
fn stopping_the_wait_closes_the_desktop_s_dialog_and_says_nothing_was_printed() {
    let Some(bus) = PrivateBus::start() else {
        assert!(std::env::var_os("CI").is_none(), "dbus-daemon is needed in CI");
        return;
    };
    let (_server, printed, _, closed) = portal_closable_on(&bus, Dialog::Freezes);
    let folder = tempfile::tempdir().expect("temp dir");
    let (path, _) = a_plan_sheet(folder.path());
    let portal = PrintPortal::on_bus(bus.connect()).expect("the portal answers");
    let stop = Arc::new(AtomicBool::new(false));

    let printing = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let title = knotmap::print::DocumentKind::PlanSheet.job_title();
            portal.print("", &title, &path, knotmap::model::PaperSize::A4, &stop)
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(400));
    let started = std::time::Instant::now();
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let ended = printing.join().expect("the print's thread ends");

    assert!(started.elapsed() < std::time::Duration::from_secs(5), "the wait ended at once");
    let error = ended.expect_err("stopped, not printed");
    assert!(error.to_string().contains("nothing was printed"), "{error}");
    assert!(*closed.lock().expect("not poisoned"), "the desktop's dialog was closed, not left open");
    assert!(printed.lock().expect("not poisoned").is_empty());
}
