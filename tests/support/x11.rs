//! The app's window as a window manager sees it, through plain X requests: found, moved,
//! resized and asked to close. Xvfb runs no window manager whose close button could be clicked,
//! and WebDriver's Close Window only destroys the webview inside the window.

use std::time::{Duration, Instant};
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{
    self, AtomEnum, ClientMessageEvent, ConfigureWindowAux, ConnectionExt, EventMask, InputFocus,
    MapState, Window,
};
use x11rb::protocol::xtest::ConnectionExt as _;
use x11rb::rust_connection::RustConnection;

/// A window's x, y, width and height on the screen.
pub type Rect = (i16, i16, u16, u16);

pub struct X11 {
    conn: RustConnection,
    root: Window,
}

impl X11 {
    pub fn connect() -> Self {
        let (conn, screen) = x11rb::connect(None).expect("the X display");
        let root = conn.setup().roots[screen].root;
        Self { conn, root }
    }

    fn atom(&self, name: &str) -> u32 {
        self.conn
            .intern_atom(false, name.as_bytes())
            .unwrap()
            .reply()
            .unwrap()
            .atom
    }

    fn property(&self, window: Window, name: &str) -> Vec<u8> {
        self.conn
            .get_property(false, window, self.atom(name), AtomEnum::ANY, 0, 64)
            .unwrap()
            .reply()
            .map(|p| p.value)
            .unwrap_or_default()
    }

    /// The titled top-level "Push3 Desk" windows, of the process `pid` or of any.
    fn app_windows(&self, pid: Option<u32>) -> Vec<Window> {
        self.titled("Push3 Desk", pid)
    }

    /// The top-level windows titled `title`, of the process `pid` or of any.
    fn titled(&self, title: &str, pid: Option<u32>) -> Vec<Window> {
        let children = self
            .conn
            .query_tree(self.root)
            .unwrap()
            .reply()
            .unwrap()
            .children;
        children
            .into_iter()
            .filter(|&w| {
                self.property(w, "_NET_WM_NAME") == title.as_bytes()
                    && pid.is_none_or(|pid| self.property(w, "_NET_WM_PID") == pid.to_ne_bytes())
            })
            .collect()
    }

    /// The app's window once it is mapped: of process `pid`, or the only one on the display
    /// (an app started by WebDriver, whose process id the test does not know).
    pub fn app_window(&self, pid: Option<u32>) -> Window {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let found = self.app_windows(pid);
            assert!(found.len() <= 1, "{} Push3 Desk windows", found.len());
            if let Some(&window) = found.first() {
                return window;
            }
            assert!(Instant::now() < deadline, "no Push3 Desk window after 30 s");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Whether `window` still exists on the display.
    pub fn exists(&self, window: Window) -> bool {
        self.conn
            .get_geometry(window)
            .map(|cookie| cookie.reply().is_ok())
            .unwrap_or(false)
    }

    pub fn rect(&self, window: Window) -> Rect {
        let g = self.conn.get_geometry(window).unwrap().reply().unwrap();
        (g.x, g.y, g.width, g.height)
    }

    /// Waits until the window's (x, y, width, height) passes `ok`: the app has set it up, or
    /// taken a move and resize.
    pub fn wait_for_rect(&self, window: Window, want: &str, ok: impl Fn(Rect) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !ok(self.rect(window)) {
            assert!(
                Instant::now() < deadline,
                "the window is at {:?}, not {want}",
                self.rect(window)
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn move_and_resize(&self, window: Window, (x, y, width, height): Rect) {
        let change = ConfigureWindowAux::new()
            .x(i32::from(x))
            .y(i32::from(y))
            .width(u32::from(width))
            .height(u32::from(height));
        self.conn.configure_window(window, &change).unwrap();
        self.conn.flush().unwrap();
    }

    /// What a window manager's close button sends: WM_DELETE_WINDOW, a request the app may
    /// refuse.
    pub fn request_close(&self, window: Window) {
        let delete = ClientMessageEvent::new(
            32,
            window,
            self.atom("WM_PROTOCOLS"),
            [self.atom("WM_DELETE_WINDOW"), x11rb::CURRENT_TIME, 0, 0, 0],
        );
        self.conn
            .send_event(false, window, EventMask::NO_EVENT, delete)
            .unwrap();
        self.conn.flush().unwrap();
    }

    /// Gives `window` the keyboard focus, as clicking into it under a window manager does.
    pub fn focus(&self, window: Window) {
        self.conn
            .set_input_focus(InputFocus::PARENT, window, x11rb::CURRENT_TIME)
            .unwrap();
        x11rb::wrapper::ConnectionExt::sync(&self.conn).unwrap();
    }

    /// Takes the keyboard focus from every window, as switching to another app does.
    pub fn focus_elsewhere(&self) {
        self.conn
            .set_input_focus(InputFocus::NONE, x11rb::NONE, x11rb::CURRENT_TIME)
            .unwrap();
        x11rb::wrapper::ConnectionExt::sync(&self.conn).unwrap();
    }

    /// The mapped top-level window titled `title` (a dialog the app opened), once it is there.
    pub fn wait_for_titled(&self, title: &str) -> Window {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let mapped = self.titled(title, None).into_iter().find(|&w| {
                self.conn
                    .get_window_attributes(w)
                    .ok()
                    .and_then(|c| c.reply().ok())
                    .is_some_and(|a| a.map_state == MapState::VIEWABLE)
            });
            if let Some(window) = mapped {
                return window;
            }
            assert!(Instant::now() < deadline, "no {title:?} window after 10 s");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The keycode that types `keysym`, and whether Shift is needed for it.
    fn keycode(&self, keysym: u32) -> (u8, bool) {
        let setup = self.conn.setup();
        let (first, count) = (setup.min_keycode, setup.max_keycode - setup.min_keycode + 1);
        let map = self
            .conn
            .get_keyboard_mapping(first, count)
            .unwrap()
            .reply()
            .unwrap();
        let per = usize::from(map.keysyms_per_keycode);
        map.keysyms
            .chunks(per)
            .enumerate()
            .find_map(|(i, syms)| {
                let column = syms.iter().take(2).position(|&s| s == keysym)?;
                Some((first + i as u8, column == 1))
            })
            .unwrap_or_else(|| panic!("no key types keysym {keysym:#x}"))
    }

    /// Presses and releases each key of `keysyms` in `window`, as the keyboard does: focused,
    /// then through XTest (GTK ignores key events sent by other clients).
    fn press(&self, window: Window, keysyms: impl IntoIterator<Item = u32>) {
        const XK_SHIFT_L: u32 = 0xffe1;
        let (shift, _) = self.keycode(XK_SHIFT_L);
        self.focus(window);
        let fake = |event: u8, keycode: u8| {
            self.conn
                .xtest_fake_input(event, keycode, x11rb::CURRENT_TIME, self.root, 0, 0, 0)
                .unwrap();
        };
        for keysym in keysyms {
            let (keycode, shifted) = self.keycode(keysym);
            if shifted {
                fake(xproto::KEY_PRESS_EVENT, shift);
            }
            fake(xproto::KEY_PRESS_EVENT, keycode);
            fake(xproto::KEY_RELEASE_EVENT, keycode);
            if shifted {
                fake(xproto::KEY_RELEASE_EVENT, shift);
            }
            x11rb::wrapper::ConnectionExt::sync(&self.conn).unwrap();
            // A typist's pace: GTK may build a widget on one key (the file chooser's location
            // field on "/") that the next keys are for.
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    /// Presses Return in `window`.
    pub fn press_return(&self, window: Window) {
        const XK_RETURN: u32 = 0xff0d;
        self.press(window, [XK_RETURN]);
    }

    /// Opens `path` in GTK's "Open File" dialog: "/" typed into the file chooser opens its
    /// location field, which then takes the rest of the path, and Return opens it.
    pub async fn open_file(&self, path: &std::path::Path) {
        let dialog = self.wait_for_titled("Open File");
        let path = path.to_str().expect("a UTF-8 path");
        self.type_text(dialog, &path[..1]);
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        self.type_text(dialog, &path[1..]);
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        self.press_return(dialog);
    }

    /// Types `text` (printable ASCII, whose keysyms are their codes) into `window`.
    pub fn type_text(&self, window: Window, text: &str) {
        assert!(text.bytes().all(|b| (0x20..0x7f).contains(&b)), "{text:?}");
        self.press(window, text.bytes().map(u32::from));
    }
}
