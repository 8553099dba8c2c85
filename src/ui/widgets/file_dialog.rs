//! The native file dialogs that pick a plan file to open or to save to, behind a
//! small trait so that tests never open one.
//!
//! A native dialog blocks the thread that shows it, so it runs on a thread of its
//! own and its answer comes back through a [`PendingPath`] that the UI polls each
//! frame. When no dialog can be shown (no XDG desktop portal and no zenity on
//! Linux, say), the answer says so, and [`path_field_fallback`] lets the user
//! type the path instead. How fast a dialog answered says nothing: a quick
//! cancel is a cancel, and only the dialog's own error means "no dialog".

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::sync::{Arc, Mutex};

/// The name of the filter for plan files in the dialogs.
pub const PLAN_FILTER_NAME: &str = "Knotmap plan";
/// The extension of plan files.
pub const PLAN_EXTENSION: &str = "ron";

/// How a file dialog ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DialogResult {
    /// The user chose this file.
    Picked(PathBuf),
    /// The user closed the dialog without choosing.
    Cancelled,
    /// No dialog could be shown, and why: ask for the path another way.
    Unavailable(String),
}

/// The answer of a dialog that may still be open. Poll it each frame.
#[derive(Debug)]
pub struct PendingPath {
    receiver: Receiver<DialogResult>,
    answered: bool,
}

impl PendingPath {
    /// A dialog answer to come, and where to send it.
    pub fn channel() -> (Sender<DialogResult>, PendingPath) {
        let (sender, receiver) = mpsc::channel();
        (sender, PendingPath { receiver, answered: false })
    }

    /// An answer that is already known.
    pub fn ready(result: DialogResult) -> PendingPath {
        let (sender, pending) = PendingPath::channel();
        // The receiver is alive in `pending`, so the send cannot fail.
        let _ = sender.send(result);
        pending
    }

    /// The dialog's answer once it has one, exactly once; `None` while it is
    /// open, and after the answer was taken. Never blocks.
    pub fn poll(&mut self) -> Option<DialogResult> {
        if self.answered {
            return None;
        }
        let result = match self.receiver.try_recv() {
            Ok(result) => result,
            Err(TryRecvError::Empty) => return None,
            Err(TryRecvError::Disconnected) => {
                DialogResult::Unavailable("the file dialog stopped without an answer".to_owned())
            }
        };
        self.answered = true;
        Some(result)
    }
}

/// The dialogs the app asks for a plan file's path.
pub trait FileDialogs {
    /// Asks for a plan file to open.
    fn pick_plan_to_open(&self) -> PendingPath;
    /// Asks where to save a plan, suggesting the file name `suggested_name`.
    fn pick_plan_to_save(&self, suggested_name: &str) -> PendingPath;
    /// Asks where to save a printed document as PDF, suggesting `suggested_name`.
    fn pick_pdf_to_save(&self, suggested_name: &str) -> PendingPath;
}

/// What shows one native dialog and waits for the user: [`RfdDialogs`] in the
/// app; a double in tests. It runs on a thread of its own, so it may block.
pub trait DialogBackend: Send + Sync {
    /// Shows the dialog asked for and waits for its answer.
    fn show(&self, request: &DialogRequest) -> DialogResult;
}

/// The file dialogs of the app: each one shown by a [`DialogBackend`] on a
/// thread of its own, its answer polled by the UI.
#[derive(Clone)]
pub struct NativeDialogs {
    backend: Arc<dyn DialogBackend>,
    /// Woken when a dialog answers, so the answer is seen without waiting for input.
    repaint: Option<egui::Context>,
}

impl std::fmt::Debug for NativeDialogs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NativeDialogs").finish_non_exhaustive()
    }
}

impl NativeDialogs {
    /// The platform's own dialogs ([`RfdDialogs`]), waking `ctx` when they answer.
    pub fn new(ctx: egui::Context) -> NativeDialogs {
        NativeDialogs { backend: Arc::new(RfdDialogs), repaint: Some(ctx) }
    }

    /// Dialogs shown by `backend`, e.g. a test's double.
    pub fn with_backend(backend: Arc<dyn DialogBackend>) -> NativeDialogs {
        NativeDialogs { backend, repaint: None }
    }

    /// Shows the dialog on a thread of its own and sends back its answer, as it
    /// is: however fast it came, a path is the path and a cancel is a cancel.
    fn run(&self, request: DialogRequest) -> PendingPath {
        let (sender, pending) = PendingPath::channel();
        let backend = Arc::clone(&self.backend);
        let repaint = self.repaint.clone();
        let spawned = std::thread::Builder::new().name("file dialog".to_owned()).spawn(move || {
            let result = backend.show(&request);
            // The app may have stopped waiting; then nobody needs the answer.
            let _ = sender.send(result);
            if let Some(ctx) = repaint {
                ctx.request_repaint();
            }
        });
        match spawned {
            Ok(_) => pending,
            Err(error) => PendingPath::ready(DialogResult::Unavailable(format!(
                "cannot start the file dialog: {error}"
            ))),
        }
    }
}

impl FileDialogs for NativeDialogs {
    fn pick_plan_to_open(&self) -> PendingPath {
        self.run(DialogRequest::OpenPlan)
    }

    fn pick_plan_to_save(&self, suggested_name: &str) -> PendingPath {
        self.run(DialogRequest::SavePlan { suggested_name: suggested_name.to_owned() })
    }

    fn pick_pdf_to_save(&self, suggested_name: &str) -> PendingPath {
        self.run(DialogRequest::SavePdf { suggested_name: suggested_name.to_owned() })
    }
}

/// The platform's own file dialogs, through `rfd`: on Linux the XDG desktop
/// portal (the desktop's own dialog, GNOME's or KDE's), else zenity.
#[derive(Clone, Copy, Debug, Default)]
pub struct RfdDialogs;

impl DialogBackend for RfdDialogs {
    fn show(&self, request: &DialogRequest) -> DialogResult {
        if let Some(why) = missing_dialog_support() {
            return DialogResult::Unavailable(why);
        }
        let (chosen, heard) = rfd_log::listen(|| match request {
            DialogRequest::OpenPlan => rfd::FileDialog::new()
                .set_title("Open a plan")
                .add_filter(PLAN_FILTER_NAME, &[PLAN_EXTENSION])
                .pick_file(),
            DialogRequest::SavePlan { suggested_name } => rfd::FileDialog::new()
                .set_title("Save the plan")
                .add_filter(PLAN_FILTER_NAME, &[PLAN_EXTENSION])
                .set_file_name(suggested_name)
                .set_can_create_directories(true)
                .save_file()
                .map(with_plan_extension),
            DialogRequest::SavePdf { suggested_name } => rfd::FileDialog::new()
                .set_title("Save as PDF")
                .add_filter("PDF", &["pdf"])
                .set_file_name(suggested_name)
                .set_can_create_directories(true)
                .save_file()
                .map(|path| if path.extension().is_some() { path } else { path.with_extension("pdf") }),
        });
        rfd_answer(chosen, heard.as_deref())
    }
}

/// What `rfd` said, read with what it logged meanwhile. `rfd` answers "no
/// file" both for a cancel and for a dialog it could not show; only its log
/// tells them apart: on Linux it asks the portal, and when that fails it says
/// so (an error), warns that it falls back to zenity, and says so again if
/// zenity fails too. So "no file" is a cancel unless an error came after the
/// last fallback. `heard` is `None` when the log could not be listened to:
/// then "no file" can only be taken as a cancel.
fn rfd_answer(chosen: Option<PathBuf>, heard: Option<&[rfd_log::Heard]>) -> DialogResult {
    if let Some(path) = chosen {
        return DialogResult::Picked(path);
    }
    let heard = heard.unwrap_or_default();
    let last_fallback = heard.iter().rposition(|said| said.level == log::Level::Warn);
    let after_fallback = last_fallback.map_or(heard, |index| &heard[index + 1..]);
    if after_fallback.iter().any(|said| said.level == log::Level::Error) {
        let errors: Vec<&str> = heard
            .iter()
            .filter(|said| said.level == log::Level::Error)
            .map(|said| said.message.as_str())
            .collect();
        return DialogResult::Unavailable(format!(
            "the file dialog could not be shown ({}); this desktop may have no working file dialog \
             service (an XDG desktop portal, or zenity)",
            errors.join("; ")
        ));
    }
    DialogResult::Cancelled
}

/// Listening to `rfd`'s log on the thread that shows a dialog (see [`rfd_answer`]).
mod rfd_log {
    use std::cell::RefCell;
    use std::sync::OnceLock;

    /// One line of `rfd`'s log.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Heard {
        pub level: log::Level,
        pub message: String,
    }

    thread_local! {
        /// What `rfd` logged on this thread while [`listen`] ran; `None` outside it.
        static HEARD: RefCell<Option<Vec<Heard>>> = const { RefCell::new(None) };
    }

    /// Hears `rfd`'s warnings and errors on threads that listen; nothing else.
    struct RfdListener;

    impl log::Log for RfdListener {
        fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
            metadata.level() <= log::Level::Warn && metadata.target().starts_with("rfd")
        }

        fn log(&self, record: &log::Record<'_>) {
            if !self.enabled(record.metadata()) {
                return;
            }
            HEARD.with(|heard| {
                if let Some(heard) = heard.borrow_mut().as_mut() {
                    heard.push(Heard { level: record.level(), message: record.args().to_string() });
                }
            });
        }

        fn flush(&self) {}
    }

    static LISTENER: RfdListener = RfdListener;

    /// Whether the listener is the process's logger: only one can be, and Knotmap sets no other.
    fn installed() -> bool {
        static INSTALLED: OnceLock<bool> = OnceLock::new();
        *INSTALLED.get_or_init(|| {
            let installed = log::set_logger(&LISTENER).is_ok();
            if installed {
                log::set_max_level(log::LevelFilter::Warn);
            }
            installed
        })
    }

    /// Runs `show`, and returns what `rfd` logged on this thread meanwhile
    /// (`None` if its log cannot be listened to).
    pub fn listen<T>(show: impl FnOnce() -> T) -> (T, Option<Vec<Heard>>) {
        if !installed() {
            return (show(), None);
        }
        HEARD.with(|heard| *heard.borrow_mut() = Some(Vec::new()));
        let result = show();
        let heard = HEARD.with(|heard| heard.borrow_mut().take());
        (result, heard)
    }
}

/// `path`, with `.ron` added if the user typed a name without an extension.
fn with_plan_extension(path: PathBuf) -> PathBuf {
    if path.extension().is_some() { path } else { path.with_extension(PLAN_EXTENSION) }
}

/// Why no file dialog can be shown here, when that can be told beforehand.
fn missing_dialog_support() -> Option<String> {
    if cfg!(any(
        target_os = "linux",
        target_os = "freebsd",
        target_os = "dragonfly",
        target_os = "netbsd",
        target_os = "openbsd"
    )) {
        let bus_address = std::env::var_os("DBUS_SESSION_BUS_ADDRESS");
        let runtime_dir = std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from);
        let search_path = std::env::var_os("PATH");
        missing_portal_and_zenity(bus_address.as_deref(), runtime_dir.as_deref(), search_path.as_deref())
    } else {
        None
    }
}

/// On Linux `rfd` asks the XDG desktop portal over the D-Bus session bus, and
/// falls back to the `zenity` program: with neither, no dialog can be shown.
fn missing_portal_and_zenity(
    bus_address: Option<&std::ffi::OsStr>,
    runtime_dir: Option<&Path>,
    search_path: Option<&std::ffi::OsStr>,
) -> Option<String> {
    // Without an address, libdbus looks for the session bus at $XDG_RUNTIME_DIR/bus.
    let has_bus = bus_address.is_some_and(|address| !address.is_empty())
        || runtime_dir.is_some_and(|folder| folder.join("bus").exists());
    let has_zenity = search_path
        .is_some_and(|paths| std::env::split_paths(paths).any(|folder| folder.join("zenity").is_file()));
    (!has_bus && !has_zenity).then(|| {
        "this desktop has no file dialog service (no D-Bus session bus for the XDG desktop portal, \
         and no zenity)"
            .to_owned()
    })
}

/// What a [`ScriptedDialogs`] was asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DialogRequest {
    OpenPlan,
    SavePlan { suggested_name: String },
    SavePdf { suggested_name: String },
}

/// Dialogs that answer with results queued beforehand, in order, and remember
/// what they were asked: for tests. With nothing queued they answer
/// [`DialogResult::Cancelled`].
#[derive(Debug, Default)]
pub struct ScriptedDialogs {
    answers: Mutex<VecDeque<DialogResult>>,
    requests: Mutex<Vec<DialogRequest>>,
}

impl ScriptedDialogs {
    /// Dialogs that will answer `answers`, one per dialog, in order.
    pub fn new(answers: impl IntoIterator<Item = DialogResult>) -> ScriptedDialogs {
        ScriptedDialogs { answers: Mutex::new(answers.into_iter().collect()), requests: Mutex::default() }
    }

    /// Queues the answer of a later dialog.
    pub fn queue(&self, answer: DialogResult) {
        lock(&self.answers).push_back(answer);
    }

    /// Every dialog asked for so far, oldest first.
    pub fn requests(&self) -> Vec<DialogRequest> {
        lock(&self.requests).clone()
    }

    fn answer(&self, request: DialogRequest) -> PendingPath {
        lock(&self.requests).push(request);
        PendingPath::ready(lock(&self.answers).pop_front().unwrap_or(DialogResult::Cancelled))
    }
}

impl FileDialogs for ScriptedDialogs {
    fn pick_plan_to_open(&self) -> PendingPath {
        self.answer(DialogRequest::OpenPlan)
    }

    fn pick_plan_to_save(&self, suggested_name: &str) -> PendingPath {
        self.answer(DialogRequest::SavePlan { suggested_name: suggested_name.to_owned() })
    }

    fn pick_pdf_to_save(&self, suggested_name: &str) -> PendingPath {
        self.answer(DialogRequest::SavePdf { suggested_name: suggested_name.to_owned() })
    }
}

/// A lock that a panic elsewhere does not poison: the queues stay usable.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// For when no file dialog could be shown: a field to type the path into, and
/// OK. `purpose` names the file, e.g. "plan to open", and names the field for
/// screen readers ("Path of the plan to open"). Returns the path when OK is
/// clicked or Enter pressed with something typed; `text` is left as typed.
pub fn path_field_fallback(ui: &mut egui::Ui, text: &mut String, purpose: &str) -> Option<PathBuf> {
    ui.label("No file dialog could be shown; type the file's path:");
    let mut chosen = false;
    ui.horizontal(|ui| {
        let field = ui
            .add(
                egui::TextEdit::singleline(text)
                    .id_salt(("path_field_fallback", purpose))
                    .hint_text("/home/me/Documents/plan.ron")
                    .desired_width(360.0),
            )
            .accessible_name(format!("Path of the {purpose}"));
        let entered = field.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter));
        let ok = ui.add_enabled(!text.trim().is_empty(), egui::Button::new("OK")).clicked();
        chosen = entered || ok;
    });
    if chosen { typed_path(text) } else { None }
}

/// The path the user typed: without surrounding blanks or quotes (as pasted from
/// a file manager), and with a leading `~` read as the home folder.
fn typed_path(text: &str) -> Option<PathBuf> {
    let text = text.trim();
    let text = text
        .strip_prefix('"')
        .and_then(|inner| inner.strip_suffix('"'))
        .or_else(|| text.strip_prefix('\'').and_then(|inner| inner.strip_suffix('\'')))
        .unwrap_or(text)
        .trim();
    if text.is_empty() {
        return None;
    }
    let home = || directories::UserDirs::new().map(|dirs| dirs.home_dir().to_owned());
    if text == "~" {
        return home().or_else(|| Some(PathBuf::from(text)));
    }
    if let Some(rest) = text.strip_prefix("~/")
        && let Some(home) = home()
    {
        return Some(home.join(rest));
    }
    Some(PathBuf::from(text))
}

#[cfg(test)]
mod tests {
    use egui::vec2;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    use super::*;

    #[test]
    fn scripted_dialogs_answer_in_order_and_remember_what_was_asked() {
        let dialogs = ScriptedDialogs::new([DialogResult::Picked(PathBuf::from("/plans/ana.ron"))]);
        dialogs.queue(DialogResult::Unavailable("no portal".to_owned()));

        let mut open = dialogs.pick_plan_to_open();
        assert_eq!(open.poll(), Some(DialogResult::Picked(PathBuf::from("/plans/ana.ron"))));
        assert_eq!(open.poll(), None, "an answer is given once");
        let mut save = dialogs.pick_plan_to_save("Ana Lima 2026-11-16.ron");
        assert_eq!(save.poll(), Some(DialogResult::Unavailable("no portal".to_owned())));
        let mut nothing_queued = dialogs.pick_plan_to_open();
        assert_eq!(nothing_queued.poll(), Some(DialogResult::Cancelled));

        assert_eq!(
            dialogs.requests(),
            vec![
                DialogRequest::OpenPlan,
                DialogRequest::SavePlan { suggested_name: "Ana Lima 2026-11-16.ron".to_owned() },
                DialogRequest::OpenPlan,
            ]
        );
    }

    #[test]
    fn a_pending_dialog_is_polled_without_blocking_until_it_answers() {
        let (sender, mut pending) = PendingPath::channel();
        assert_eq!(pending.poll(), None);
        sender.send(DialogResult::Cancelled).expect("the pending path listens");
        assert_eq!(pending.poll(), Some(DialogResult::Cancelled));
        assert_eq!(pending.poll(), None);
    }

    #[test]
    fn a_dialog_thread_that_dies_without_answering_reads_as_unavailable() {
        let (sender, mut pending) = PendingPath::channel();
        drop(sender);
        assert!(matches!(pending.poll(), Some(DialogResult::Unavailable(_))));
        assert_eq!(pending.poll(), None);
    }

    /// A dialog that answers at once, as a quick hand (or a missing dialog) would.
    struct AnswersAtOnce(DialogResult);

    impl DialogBackend for AnswersAtOnce {
        fn show(&self, _request: &DialogRequest) -> DialogResult {
            self.0.clone()
        }
    }

    /// Waits (a little) for the dialog's thread to answer.
    fn answer_of(mut pending: PendingPath) -> DialogResult {
        for _ in 0..500 {
            if let Some(result) = pending.poll() {
                return result;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        panic!("the dialog never answered");
    }

    #[test]
    fn a_dialog_answered_at_once_is_taken_at_its_word() {
        let plan = PathBuf::from("/plans/ana.ron");
        let picks = NativeDialogs::with_backend(Arc::new(AnswersAtOnce(DialogResult::Picked(plan.clone()))));
        assert_eq!(answer_of(picks.pick_plan_to_open()), DialogResult::Picked(plan));

        let cancels = NativeDialogs::with_backend(Arc::new(AnswersAtOnce(DialogResult::Cancelled)));
        assert_eq!(
            answer_of(cancels.pick_plan_to_save("Ana Lima 2026-11-16.ron")),
            DialogResult::Cancelled,
            "a quick cancel is a cancel, not a missing dialog"
        );

        let missing = DialogResult::Unavailable("no portal, no zenity".to_owned());
        let none = NativeDialogs::with_backend(Arc::new(AnswersAtOnce(missing.clone())));
        assert_eq!(answer_of(none.pick_plan_to_open()), missing);
    }

    #[test]
    fn no_file_from_rfd_is_a_cancel_unless_it_logged_that_no_dialog_could_be_shown() {
        const PORTAL: &str = "rfd::backend::xdg_desktop_portal";
        let (chosen, heard) = rfd_log::listen(|| None::<PathBuf>);
        assert_eq!(rfd_answer(chosen, heard.as_deref()), DialogResult::Cancelled, "closed at once: a cancel");

        // No portal, and zenity missing: rfd logs both failures and answers "no file".
        let (chosen, heard) = rfd_log::listen(|| {
            log::error!(target: PORTAL, "OpenFile failed: The name org.freedesktop.portal.Desktop was not provided");
            log::warn!(target: PORTAL, "Using zenity fallback");
            log::error!(target: PORTAL, "Failed to pick file with zenity: No such file or directory (os error 2)");
            None::<PathBuf>
        });
        let heard = heard.expect("rfd's log is listened to");
        match rfd_answer(chosen, Some(&heard)) {
            DialogResult::Unavailable(why) => {
                assert!(why.contains("Failed to pick file with zenity"), "{why}");
                assert!(why.contains("OpenFile failed"), "{why}");
            }
            other => panic!("expected no dialog, got {other:?}"),
        }

        // No portal, but zenity showed its dialog and the user closed it.
        let (chosen, heard) = rfd_log::listen(|| {
            log::error!(target: PORTAL, "OpenFile failed: The name org.freedesktop.portal.Desktop was not provided");
            log::warn!(target: PORTAL, "Using zenity fallback");
            None::<PathBuf>
        });
        assert_eq!(rfd_answer(chosen, heard.as_deref()), DialogResult::Cancelled);

        // A path is a path, whatever was logged on the way.
        let (chosen, heard) = rfd_log::listen(|| {
            log::warn!(target: PORTAL, "Using zenity fallback");
            Some(PathBuf::from("/plans/ana.ron"))
        });
        assert_eq!(
            rfd_answer(chosen, heard.as_deref()),
            DialogResult::Picked(PathBuf::from("/plans/ana.ron"))
        );

        // What other crates log on the dialog's thread is not rfd's word.
        let (chosen, heard) = rfd_log::listen(|| {
            log::error!(target: "winit", "something else went wrong");
            None::<PathBuf>
        });
        assert_eq!(rfd_answer(chosen, heard.as_deref()), DialogResult::Cancelled);
    }

    #[test]
    fn without_a_session_bus_or_zenity_no_dialog_can_be_shown() {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let empty = folder.path().as_os_str();
        assert!(missing_portal_and_zenity(None, Some(folder.path()), Some(empty)).is_some());
        assert!(missing_portal_and_zenity(Some("".as_ref()), None, None).is_some());

        let bus = "unix:path=/run/user/1000/bus";
        assert_eq!(missing_portal_and_zenity(Some(bus.as_ref()), None, None), None);
        std::fs::write(folder.path().join("bus"), "").expect("a stand-in for the bus socket");
        assert_eq!(missing_portal_and_zenity(None, Some(folder.path()), None), None);

        let bin = tempfile::tempdir().expect("a temporary folder");
        std::fs::write(bin.path().join("zenity"), "").expect("a stand-in for zenity");
        assert_eq!(missing_portal_and_zenity(None, None, Some(bin.path().as_os_str())), None);
    }

    #[test]
    fn a_name_typed_without_an_extension_is_saved_as_a_ron_file() {
        assert_eq!(with_plan_extension(PathBuf::from("/plans/ana")), PathBuf::from("/plans/ana.ron"));
        assert_eq!(with_plan_extension(PathBuf::from("/plans/ana.ron")), PathBuf::from("/plans/ana.ron"));
    }

    #[test]
    fn a_typed_path_loses_pasted_quotes_and_reads_the_home_folder() {
        assert_eq!(typed_path("  '/plans/ana lima.ron' "), Some(PathBuf::from("/plans/ana lima.ron")));
        assert_eq!(typed_path("\"/plans/ana.ron\""), Some(PathBuf::from("/plans/ana.ron")));
        assert_eq!(typed_path("   "), None);
        if let Some(dirs) = directories::UserDirs::new() {
            assert_eq!(typed_path("~/plans/ana.ron"), Some(dirs.home_dir().join("plans/ana.ron")));
        }
    }

    struct Fallback {
        text: String,
        chosen: Option<PathBuf>,
    }

    fn fallback() -> Harness<'static, Fallback> {
        let mut harness = Harness::builder().with_size(vec2(600.0, 200.0)).build_ui_state(
            |ui, state: &mut Fallback| {
                if let Some(path) = path_field_fallback(ui, &mut state.text, "plan to open") {
                    state.chosen = Some(path);
                }
            },
            Fallback { text: String::new(), chosen: None },
        );
        harness.run();
        harness
    }

    #[test]
    fn when_no_dialog_can_be_shown_the_path_can_be_typed_and_confirmed_with_ok() {
        let mut harness = fallback();
        assert!(harness.query_by_label_contains("No file dialog could be shown").is_some());
        harness.get_by_label("Path of the plan to open").focus();
        harness.run();
        harness.get_by_label("Path of the plan to open").type_text("/plans/ana.ron");
        harness.run();
        assert_eq!(harness.state().chosen, None, "nothing is chosen before OK");
        harness.get_by_label("OK").click();
        harness.run();
        assert_eq!(harness.state().chosen, Some(PathBuf::from("/plans/ana.ron")));
    }

    #[test]
    fn a_typed_path_can_be_confirmed_with_enter() {
        let mut harness = fallback();
        harness.get_by_label("Path of the plan to open").focus();
        harness.run();
        harness.get_by_label("Path of the plan to open").type_text("/plans/zoe.ron");
        harness.run();
        harness.key_press(egui::Key::Enter);
        harness.run();
        assert_eq!(harness.state().chosen, Some(PathBuf::from("/plans/zoe.ron")));
    }
}
