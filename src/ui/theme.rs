//! Colours, sizes and named styles. Sizes are for fingers: targets of at least 64 px, text of
//! at least 24 px on a 1080p screen. High contrast makes text larger and colours starker.

use iced::border::Radius;
use iced::widget::{container, text};
use iced::{Background, Border, Color, Font, Shadow, Theme, font};

pub const FONT: Font = Font::with_name("Inter");
pub const BOLD: Font = Font {
    weight: font::Weight::Bold,
    ..FONT
};
pub const SEMIBOLD: Font = Font {
    weight: font::Weight::Semibold,
    ..FONT
};

/// The bundled fonts, loaded at start (never system fonts).
pub const FONT_FILES: [&[u8]; 3] = [
    include_bytes!("../../fonts/Inter-Regular.otf"),
    include_bytes!("../../fonts/Inter-SemiBold.otf"),
    include_bytes!("../../fonts/Inter-Bold.otf"),
];

pub const NAVY: Color = Color::from_rgb8(0x0D, 0x2C, 0x54);
pub const PAPER: Color = Color::from_rgb8(0xF5, 0xF7, 0xFA);
pub const WHITE: Color = Color::WHITE;
pub const INK: Color = Color::from_rgb8(0x1A, 0x1A, 0x1A);
pub const MUTED: Color = Color::from_rgb8(0x55, 0x5F, 0x6B);
pub const GREEN: Color = Color::from_rgb8(0x1B, 0x6E, 0x3A);
pub const RED: Color = Color::from_rgb8(0xB0, 0x1E, 0x1E);
pub const AMBER: Color = Color::from_rgb8(0xFF, 0xD5, 0x4F);
pub const DISABLED: Color = Color::from_rgb8(0x9A, 0xA4, 0xAE);

/// Sizes in logical pixels, scaled up in high-contrast mode and on wide screens.
#[derive(Clone, Copy, Debug)]
pub struct Sizes {
    pub scale: f32,
}

/// The width the screens are drawn for at scale 1; wider screens draw everything larger, up
/// to [`MOST_GROWTH`], so a 1920x1080 panel reads like a 1280x720 one seen closer.
const DESIGN_WIDTH: f32 = 1280.0;
const MOST_GROWTH: f32 = 1.5;

impl Sizes {
    pub fn new(high_contrast: bool) -> Self {
        Self {
            scale: if high_contrast { 1.25 } else { 1.0 },
        }
    }

    /// The sizes for a window `width` wide. Only the width counts: a screen's layout must not
    /// change its text size with its height (a list measured for one height is drawn in it).
    pub fn for_width(high_contrast: bool, width: f32) -> Self {
        let growth = (width / DESIGN_WIDTH).clamp(1.0, MOST_GROWTH);
        Self {
            scale: Self::new(high_contrast).scale * growth,
        }
    }

    pub fn body(self) -> f32 {
        24.0 * self.scale
    }

    pub fn small(self) -> f32 {
        20.0 * self.scale
    }

    pub fn heading(self) -> f32 {
        36.0 * self.scale
    }

    pub fn title(self) -> f32 {
        48.0 * self.scale
    }

    pub fn number(self) -> f32 {
        120.0 * self.scale
    }

    /// Smallest height of anything a finger taps.
    pub fn target(self) -> f32 {
        72.0 * self.scale
    }
}

pub fn theme(high_contrast: bool) -> Theme {
    let palette = iced::theme::Palette {
        background: if high_contrast { WHITE } else { PAPER },
        text: if high_contrast { Color::BLACK } else { INK },
        primary: NAVY,
        success: GREEN,
        warning: AMBER,
        danger: RED,
    };
    Theme::custom("MPP", palette)
}

fn rounded(radius: f32) -> Border {
    Border {
        radius: Radius::from(radius),
        ..Border::default()
    }
}

/// A filled, rounded panel: tiles and buttons.
pub fn panel(background: Color, foreground: Color) -> container::Style {
    container::Style {
        text_color: Some(foreground),
        background: Some(Background::Color(background)),
        border: rounded(16.0),
        shadow: Shadow::default(),
        snap: true,
    }
}

/// A white card with a thin outline, for information.
pub fn card(high_contrast: bool) -> container::Style {
    container::Style {
        border: Border {
            color: if high_contrast {
                Color::BLACK
            } else {
                Color::from_rgb8(0xD5, 0xDB, 0xE3)
            },
            width: if high_contrast { 3.0 } else { 1.0 },
            radius: Radius::from(16.0),
        },
        ..panel(WHITE, INK)
    }
}

/// A panel with a border in its text's colour: a choice that stands out without filling.
pub fn outlined(background: Color, foreground: Color) -> container::Style {
    container::Style {
        border: Border {
            color: foreground,
            width: 2.0,
            radius: Radius::from(16.0),
        },
        ..panel(background, foreground)
    }
}

/// The dimmed screen behind a question that must be answered first.
pub fn scrim() -> container::Style {
    container::Style {
        background: Some(Background::Color(Color::from_rgba8(0x0D, 0x1B, 0x2A, 0.55))),
        ..container::Style::default()
    }
}

pub fn banner(background: Color, foreground: Color) -> container::Style {
    container::Style {
        border: rounded(0.0),
        ..panel(background, foreground)
    }
}

pub fn muted(_theme: &Theme) -> text::Style {
    text::Style { color: Some(MUTED) }
}

/// Parses a catalog colour `#RRGGBB` (validated already), falling back to navy.
pub fn catalog_colour(hex: &str) -> Color {
    let channel =
        |range: std::ops::Range<usize>| hex.get(range).and_then(|h| u8::from_str_radix(h, 16).ok());
    match (channel(1..3), channel(3..5), channel(5..7)) {
        (Some(r), Some(g), Some(b)) => Color::from_rgb8(r, g, b),
        _ => NAVY,
    }
}

/// The MPP's logo for the welcome screen, decoded once.
pub fn logo() -> iced::widget::image::Handle {
    static LOGO: std::sync::OnceLock<iced::widget::image::Handle> = std::sync::OnceLock::new();
    LOGO.get_or_init(|| {
        let png = mpp_station::printer::job::SHIPPED_LOGO;
        match image::load_from_memory_with_format(png, image::ImageFormat::Png) {
            Ok(logo) => {
                let logo = logo.to_rgba8();
                let (width, height) = logo.dimensions();
                iced::widget::image::Handle::from_rgba(width, height, logo.into_raw())
            }
            Err(_) => iced::widget::image::Handle::from_rgba(1, 1, vec![0, 0, 0, 0]),
        }
    })
    .clone()
}
