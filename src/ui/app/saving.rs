//! Saving and the other laptops: the autosave, saving on close and at the
//! system's end signal, the presence mark on the open session, and the changes
//! other laptops make to the folder.

use super::*;

impl KnotmapApp {
    /// Saves every pending edit and closes the window, without a question:
    /// the system is ending the app and nobody is there to answer.
    pub(super) fn end_for_the_system(&mut self, ui: &mut egui::Ui) {
        self.save_settings_draft();
        self.drop_unfinished_amendment();
        // Nobody is there to read the window: what could not be saved is said where the
        // system keeps the app's output (the journal, the terminal).
        if !self.save_all()
            && let Status::Error(message) = &self.status
        {
            eprintln!("knotmap: {message}");
        }
        self.keep_undecided();
        self.presence = None;
        self.close_now = false;
        ui.send_viewport_cmd(egui::ViewportCommand::Close);
    }

    /// Keeps the versions nobody chose between (see [`Workspace::keep_undecided_as_copies`]);
    /// one that could be kept nowhere is said where the system keeps the app's output.
    pub(super) fn keep_undecided(&mut self) {
        for lost in self.workspace.keep_undecided_as_copies().into_iter().filter_map(Result::err) {
            eprintln!("knotmap: an edit of a session with two versions could not be kept: {lost}");
        }
    }

    pub(super) fn place_presence(&mut self, id: &SessionId, path: &Path, here: Presence) {
        // Only a session that is on disk can be open on another laptop.
        if !path.exists() {
            return;
        }
        match PresenceMark::place(path, here) {
            Ok(mark) => self.presence = Some((id.clone(), mark)),
            // A mark that cannot be written (a read-only share) only means others are not told.
            Err(error) => {
                self.status =
                    Status::Info(format!("Other laptops cannot be told this session is open here: {error}"))
            }
        }
    }

    /// This laptop's mark, beginning now.
    pub(super) fn here(&self) -> Presence {
        self.here_at(jiff::Timestamp::now())
    }

    pub(super) fn here_at(&self, now: jiff::Timestamp) -> Presence {
        Presence { laptop: self.laptop.clone(), ..Presence::here(now) }
    }

    /// Takes the selected session over from the laptop that has it open.
    pub(super) fn take_over(&mut self) {
        self.take_over_question = false;
        let Some(open) = self.workspace.open_client() else { return };
        let Some(id) = open.selected().cloned() else { return };
        let path = self.workspace.practice().session_path(&open.client().id, &id);
        let here = self.here();
        // Stale marks are a crashed laptop's leftovers; a fresh one is told by this later mark.
        for other in presence::others_editing(&path, &here.laptop) {
            if other.is_stale(here.since) {
                let _ = std::fs::remove_file(presence::presence_path(&path, &other.laptop));
            }
        }
        self.held_elsewhere = None;
        self.place_presence(&id, &path, here);
        // What the other laptop saved last is what is edited here.
        let changes = crate::storage::watch::Changes { paths: [path].into(), everything: false };
        self.take_disk_changes(changes);
    }

    /// Looks at the other laptops' marks on the selected session again, after one changed.
    pub(super) fn look_at_presence(&mut self) {
        let Some(open) = self.workspace.open_client() else { return };
        let Some(id) = open.selected().cloned() else { return };
        let path = self.workspace.practice().session_path(&open.client().id, &id);
        let others = presence::others_editing(&path, &self.laptop);
        match (&self.presence, others.into_iter().next()) {
            // Another laptop took it over after this one marked it: it is theirs now.
            (Some((_, mine)), Some(other)) if other.since > mine.presence().since => {
                // What the other laptop saved is looked at first: an edit here then meets it
                // side by side, instead of in a copy beside it.
                let changes = Changes { paths: [path].into(), everything: false };
                let notes = self.workspace.take_disk_changes(&changes, (self.clock)());
                self.save_all();
                self.presence = None;
                let taken = format!(
                    "{} on {} took this session over; it is read-only here now.",
                    other.who, other.laptop
                );
                self.keep_in_sight(taken);
                for note in notes {
                    self.keep_in_sight(note.words);
                }
                self.held_elsewhere = Some(other);
            }
            (Some(_), _) => {}
            (None, Some(other)) => self.held_elsewhere = Some(other),
            // The other laptop closed it: it can be edited here.
            (None, None) => {
                if self.held_elsewhere.take().is_some() {
                    self.place_presence(&id, &path, self.here());
                }
            }
        }
    }

    /// Watches the practice folder for other laptops' changes, as this laptop is set to.
    /// It starts on a thread of its own, so that the window is drawn meanwhile.
    pub(super) fn start_watching(&mut self) {
        let repaint = self.repaint.clone();
        let wake = self.wake_on_change;
        let laptop = self.laptop.clone();
        let root = self.workspace.practice().root().to_owned();
        let choice = self.watch_choice;
        self.watcher = None;
        let (started, starting) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new().name("start watching".to_owned()).spawn({
            let root = root.clone();
            move || {
                let waker = repaint.clone();
                let watcher = PracticeWatcher::start(&root, choice, &laptop, move || {
                    if wake {
                        waker.request_repaint();
                    }
                });
                // The window may have closed meanwhile; then nobody needs the watcher.
                let _sent = started.send(watcher);
                repaint.request_repaint();
            }
        });
        match spawned {
            Ok(thread) => {
                self.watcher_starting = Some((root, starting));
                self.watcher_thread = Some(thread);
            }
            Err(error) => {
                self.watcher_starting = None;
                self.watcher_thread = None;
                self.status =
                    Status::Info(format!("Changes from other laptops will show after reopening: {error}"));
            }
        }
    }

    /// Takes in the watcher once its thread has started it, if it is still for
    /// the practice that is open.
    pub(super) fn take_started_watcher(&mut self) {
        let Some((root, starting)) = &self.watcher_starting else { return };
        let result = match starting.try_recv() {
            Ok(result) => result,
            Err(std::sync::mpsc::TryRecvError::Empty) => return,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.watcher_starting = None;
                return;
            }
        };
        let for_this_practice = root.as_path() == self.workspace.practice().root();
        self.watcher_starting = None;
        if !for_this_practice {
            return;
        }
        match result {
            Ok(watcher) => self.watcher = Some(watcher),
            Err(error) => {
                self.status =
                    Status::Info(format!("Changes from other laptops will show after reopening: {error}"))
            }
        }
    }

    /// The day's list, while open, takes in the clients whose files changed elsewhere.
    fn today_after_disk_changes(&mut self, changes: &Changes) {
        let Some(today) = &mut self.today else { return };
        let day = today.day();
        if changes.everything {
            today.replace(self.workspace.day_list(day));
            return;
        }
        let clients: std::collections::BTreeSet<crate::model::ClientId> = changes
            .paths
            .iter()
            .filter_map(|path| match self.workspace.practice().what_is(path) {
                crate::storage::PracticePath::Session(client, _)
                | crate::storage::PracticePath::Client(client) => Some(client),
                _ => None,
            })
            .collect();
        for client in clients {
            let entries = self.workspace.client_day_list(&client, day);
            today.follow(&client, entries);
        }
    }

    /// Takes in what changed on disk, and tells the user what they should know.
    pub(super) fn take_disk_changes(&mut self, mut changes: Changes) {
        // Not under the open settings window: its save would replace them unseen.
        if self.settings_draft.is_some() && changes.paths.remove(&self.workspace.practice().settings_path()) {
            self.settings_changed_elsewhere = true;
        }
        let selected = self.workspace.open_client().and_then(|open| open.selected().cloned());
        let presence_changed = changes.everything
            || changes.paths.iter().any(|path| {
                matches!(self.workspace.practice().what_is(path), crate::storage::PracticePath::Presence(..))
            });
        let notes = self.workspace.take_disk_changes(&changes, (self.clock)());
        self.today_after_disk_changes(&changes);
        let now_selected = self.workspace.open_client().and_then(|open| open.selected().cloned());
        if now_selected != selected {
            self.select_session(now_selected);
        } else if presence_changed {
            self.look_at_presence();
        }
        // What needs the user stays in sight until dismissed: a later "All changes saved"
        // must not wipe it. What only informs goes to the status line.
        for note in &notes {
            if note.needs_attention {
                self.keep_in_sight(note.words.clone());
            } else {
                self.status = Status::Info(note.words.clone());
            }
        }
    }

    /// A note that needs the user, kept until dismissed. The same news can come more
    /// than once (two saves on another laptop before the user chose): its sentence is
    /// shown once.
    pub(super) fn keep_in_sight(&mut self, words: String) {
        if !self.notices.contains(&words) {
            self.notices.push(words);
        }
    }

    pub(super) fn has_unsaved_edits(&self) -> bool {
        // A session being amended waits for its reason (see `save_all`).
        self.workspace.has_unsaved_edits()
    }

    /// Saves a while after the first unsaved edit, and asks for a frame then, so
    /// that nothing waits for the next key press; no frames are drawn otherwise.
    pub(super) fn autosave(&mut self, ui: &egui::Ui) {
        if !self.has_unsaved_edits() {
            self.unsaved_since = None;
            return;
        }
        let now = ui.input(|input| input.time);
        let since = *self.unsaved_since.get_or_insert(now);
        let waited = now - since;
        if waited >= AUTOSAVE_AFTER_SECONDS {
            // Written on the writer's thread: the window goes on while the disk takes its time,
            // and the edit stays unsaved until it is on disk.
            if self.workspace.save_in_background() {
                self.unsaved_since = None;
            } else {
                // The last save is still being written: this one goes as soon as it is done.
                ui.ctx().request_repaint_after(std::time::Duration::from_millis(100));
            }
        } else {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64(AUTOSAVE_AFTER_SECONDS - waited));
        }
    }

    /// Writes every unsaved edit, and says whether every edit is now safe: saved,
    /// or kept as a conflict copy beside a file someone else changed. An edit that
    /// could not be written at all (a full disk, a drive gone) stays unsaved, and
    /// the caller must not drop it.
    pub fn save_all(&mut self) -> bool {
        let saved = self.workspace.save();
        self.tell_saved(saved)
    }

    /// Says what a save did on the status line, and whether every edit is now safe.
    pub(super) fn tell_saved(&mut self, saved: crate::workspace::Saved) -> bool {
        self.status = match (saved.problems.first(), saved.kept_aside.first()) {
            (None, _) => Status::Saved,
            // Said where it is: "nothing is lost" only where it was written.
            (Some(error), Some(kept)) => Status::Error(format!(
                "{error}. Your edit is kept in {} until the practice can take it; saving is tried again",
                kept.kept.display()
            )),
            (Some(error), None) => Status::Error(error.to_string()),
        };
        saved.all_safe
    }

    /// Saves the practice settings being edited, if they changed.
    pub(super) fn save_settings_draft(&mut self) {
        if let Some(draft) = self.settings_draft.take()
            && draft != *self.workspace.practice().settings()
            && let Err(error) = self.workspace.save_settings(&draft)
        {
            self.status = Status::Error(error.to_string());
        }
        // Settings changed on another laptop while the window was open are read now:
        // an edit made here meanwhile was kept beside them by the save above.
        if std::mem::take(&mut self.settings_changed_elsewhere) {
            let settings = self.workspace.practice().settings_path();
            let changes = Changes { paths: [settings].into(), everything: false };
            self.take_disk_changes(changes);
        }
    }

    /// Gets ready to leave the open client (for another client, practice, or the
    /// trash): false, with the reason shown, when an edit could not be saved.
    pub(super) fn leave_client(&mut self) -> bool {
        self.drop_unfinished_amendment();
        self.save_all()
    }
}
