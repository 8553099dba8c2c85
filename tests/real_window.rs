//! The real app, in a real window on a virtual X display (Xvfb): started under
//! a careless umask, ended by the system. What it leaves behind (the practice,
//! and the window's own settings file, `app.ron`, which chooses the practice the
//! app opens next) is private to the user whatever the umask was.
//!
//! Needs `Xvfb` and `xdotool` (to see the window come up); without them the test
//! is skipped and says so, except in CI, which installs them.

use std::io::BufRead;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A virtual X display, stopped when dropped.
struct Display {
    server: Child,
    name: String,
}

impl Display {
    fn start() -> Option<Display> {
        // Xvfb picks a free display, and says which on the descriptor given (its output here).
        let mut server = Command::new("Xvfb")
            .args(["-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let mut number = String::new();
        let said = server.stdout.take().map(|out| std::io::BufReader::new(out).read_line(&mut number));
        let number = number.trim();
        match said {
            Some(Ok(_)) if !number.is_empty() => Some(Display { name: format!(":{number}"), server }),
            _ => {
                let _ = server.kill();
                let _ = server.wait();
                None
            }
        }
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

fn mode_of(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap_or_else(|error| panic!("{}: {error}", path.display())).permissions().mode()
        & 0o777
}

fn wait_for(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < limit, "waited {} s for {what}", limit.as_secs());
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn started_under_a_careless_umask_and_ended_by_the_system_it_leaves_only_private_files() {
    let tools = ["Xvfb", "xdotool"].iter().all(|tool| {
        Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    });
    let display = tools.then(Display::start).flatten();
    let Some(display) = display else {
        assert!(std::env::var_os("CI").is_none(), "CI installs Xvfb and xdotool");
        eprintln!("skipped: no Xvfb and xdotool to show the real window on");
        return;
    };
    let folder = tempfile::tempdir().expect("temp dir");
    let home = folder.path().join("home");
    let practice = folder.path().join("practice");
    std::fs::create_dir(&home).expect("home");
    let mut app = Command::new("sh")
        .args(["-c", "umask 000; exec \"$0\" --practice \"$1\""])
        .arg(env!("CARGO_BIN_EXE_knotmap"))
        .arg(&practice)
        .env("HOME", &home)
        .env_remove("XDG_DATA_HOME")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("WAYLAND_DISPLAY")
        .env("DISPLAY", &display.name)
        .env("LIBGL_ALWAYS_SOFTWARE", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the app starts");
    let pid = app.id().to_string();
    wait_for("the window", Duration::from_secs(60), || {
        Command::new("xdotool")
            .args(["search", "--pid", &pid])
            .env("DISPLAY", &display.name)
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    });
    // A few frames drawn, then the system ends it (a logout, a shutdown).
    std::thread::sleep(Duration::from_secs(2));
    // SAFETY: kill only sends a signal to the child started above.
    unsafe { libc::kill(app.id() as libc::pid_t, libc::SIGTERM) };
    wait_for("the app to end", Duration::from_secs(30), || app.try_wait().is_ok_and(|ended| ended.is_some()));
    let ended = app.wait().expect("ended");
    let said = std::io::read_to_string(app.stderr.take().expect("stderr")).unwrap_or_default();
    assert!(ended.success(), "ended cleanly on SIGTERM: {ended:?} {said}");

    let data = home.join(".local/share/knotmap");
    assert_eq!(mode_of(&data), 0o700, "the app's data folder");
    assert_eq!(mode_of(&data.join("app.ron")), 0o600, "the window's settings file");
    assert!(std::fs::read_to_string(data.join("app.ron")).expect("app.ron").contains("practice"));
    assert_eq!(mode_of(&practice), 0o700, "the practice made on first run");
    assert_eq!(mode_of(&practice.join("practice.ron")), 0o600);
}
