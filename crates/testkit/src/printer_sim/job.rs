//! What the simulated printer put on paper: jobs (between two cuts) and their lines.

/// How a job was cut off the roll (`GS V`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CutKind {
    Full,
    Partial,
}

/// One printed line (ended by LF, `ESC d`, or `ESC J` with text pending).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrintedLine {
    /// Decoded with the printer's current code page (PC437 by default; 2 = PC850, 16 = WPC1252,
    /// 19 = PC858; other code pages give U+FFFD for bytes >= 0x80). HT is kept as '\t'.
    pub text: String,
    /// True when any character of the line was bold (for an empty line: bold at the LF).
    pub bold: bool,
    /// 0 left, 1 centre, 2 right: the alignment when the line's first character arrived.
    pub align: u8,
    /// 1..=8: the largest width magnification used in the line.
    pub width: u8,
    /// 1..=8: the largest height magnification used in the line.
    pub height: u8,
}

/// One job: everything between two cuts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrintedJob {
    pub lines: Vec<PrintedLine>,
    /// Data of every QR printed (`GS ( k ... 31 51`), in order, decoded as UTF-8 (lossy).
    pub qr_codes: Vec<String>,
    /// 1 or 2 (from `31 41 31|32 ..`; 3 for micro QR, other raw values kept) if sent in this job.
    pub qr_model: Option<u8>,
    /// Module size in dots, if sent in this job.
    pub qr_module_size: Option<u8>,
    /// Raw error-correction byte (48..=51 = L, M, Q, H), if sent in this job.
    pub qr_error_correction: Option<u8>,
    /// How the job ended; None only for a job cut short by `unplug`.
    pub cut: Option<CutKind>,
    /// Raster (`GS v 0`) and column (`ESC *`) images received whole.
    pub images: usize,
    /// False when anything of the job meant for paper (text, LF, feed, image data, QR print, the cut)
    /// arrived while the printer was not printing (PaperOut, CoverOpen, CutterError, Silent), or the
    /// job was cut short by `unplug`. Set-up commands (ESC @, styles, code page, QR settings) and
    /// status queries sent while offline do not spoil the next job. The lines and QR codes are still
    /// decoded so tests can see what the driver sent.
    pub complete: bool,
    /// The last `ESC t n` sent in this job.
    pub code_page: Option<u8>,
    /// Text bytes >= 0x80 (UTF-8 sent raw shows up here).
    pub non_ascii_bytes: usize,
    /// Commands the simulator does not interpret, each as its bytes: the prefix (ESC, GS, FS, DLE)
    /// and the command byte, plus the arguments for commands whose length is known (e.g.
    /// `ESC - n`, `GS k` barcodes; only the header of length-prefixed blocks such as `GS ( L`).
    /// Stray control bytes appear alone. A `GS V` cut sent with text pending on the line (printers
    /// ignore it there) appears here too.
    pub unknown_commands: Vec<Vec<u8>>,
}

impl PrintedLine {
    pub fn new(text: &str, bold: bool, align: u8, width: u8, height: u8) -> PrintedLine {
        PrintedLine {
            text: text.into(),
            bold,
            align,
            width,
            height,
        }
    }
}

/// An empty job, complete until something spoils it.
impl Default for PrintedJob {
    fn default() -> PrintedJob {
        PrintedJob {
            lines: Vec::new(),
            qr_codes: Vec::new(),
            qr_model: None,
            qr_module_size: None,
            qr_error_correction: None,
            cut: None,
            images: 0,
            complete: true,
            code_page: None,
            non_ascii_bytes: 0,
            unknown_commands: Vec::new(),
        }
    }
}

impl PrintedJob {
    /// The line texts joined with '\n'.
    pub fn text(&self) -> String {
        self.lines
            .iter()
            .map(|line| line.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}
