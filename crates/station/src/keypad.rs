//! Whether a keypad (or any keyboard) is plugged in, for `doctor` and the maintenance menu:
//! the kernel's list of input devices (`/proc/bus/input/devices`) names each one and the
//! handlers it feeds and the keys it has.

use std::path::Path;

/// Where Linux lists its input devices.
pub const INPUT_DEVICES: &str = "/proc/bus/input/devices";

/// The names of the keyboards among the kernel's input devices, keypads included.
pub fn keyboards_in(devices: &str) -> Vec<String> {
    devices
        .split("\n\n")
        .filter(|block| is_keyboard(block))
        .filter_map(|block| {
            block.lines().find_map(|line| {
                line.strip_prefix("N: Name=")
                    .map(|name| name.trim_matches('"').to_owned())
            })
        })
        .collect()
}

/// A device with a `kbd` handler that has a 5 key (the top row's or the keypad's) or arrows
/// and Enter: power and video buttons feed `kbd` too, but have none of these.
fn is_keyboard(block: &str) -> bool {
    let field = |prefix: &str| {
        block
            .lines()
            .find_map(|line| line.strip_prefix(prefix))
            .unwrap_or("")
    };
    let feeds_kbd = field("H: Handlers=")
        .split_whitespace()
        .any(|handler| handler == "kbd");
    let keys = key_bits(field("B: KEY="));
    let has = |code: usize| {
        keys.get(code / 64)
            .is_some_and(|word| word >> (code % 64) & 1 == 1)
    };
    feeds_kbd && (has(KEY_5) || has(KEY_KP5) || (has(KEY_UP) && has(KEY_ENTER)))
}

// Linux's key codes (input-event-codes.h).
const KEY_5: usize = 6;
const KEY_ENTER: usize = 28;
const KEY_KP5: usize = 76;
const KEY_UP: usize = 103;

/// The kernel's key bitmap, lowest 64 codes first (it prints the highest word first).
fn key_bits(bitmap: &str) -> Vec<u64> {
    bitmap
        .split_whitespace()
        .rev()
        .map(|word| u64::from_str_radix(word, 16).unwrap_or(0))
        .collect()
}

/// The keyboards plugged in now; `None` where the list cannot be read (not Linux, no /proc).
pub fn keyboards() -> Option<Vec<String>> {
    std::fs::read_to_string(Path::new(INPUT_DEVICES))
        .ok()
        .map(|devices| keyboards_in(&devices))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As a Debian machine lists a power button and a USB numeric keypad.
    const DEVICES: &str = "I: Bus=0019 Vendor=0000 Product=0001 Version=0000
N: Name=\"Power Button\"
P: Phys=LNXPWRBN/button/input0
H: Handlers=kbd event0
B: PROP=0
B: EV=3
B: KEY=10000000000000 0

I: Bus=0003 Vendor=04d9 Product=1603 Version=0110
N: Name=\"USB Keypad\"
P: Phys=usb-0000:00:14.0-2/input0
H: Handlers=sysrq kbd leds event3
B: PROP=0
B: EV=120013
B: KEY=1000000000007 ff9f207ac14057ff febeffdfffefffff fffffffffffffffe
B: MSC=10
B: LED=1f

I: Bus=0003 Vendor=13ba Product=0001 Version=0110
N: Name=\"Numeric Keypad\"
H: Handlers=kbd event5
B: EV=120013
B: KEY=fff80 0

I: Bus=0003 Vendor=222a Product=0001 Version=0110
N: Name=\"ILITEK Multi-Touch\"
H: Handlers=mouse0 event4
B: EV=1b
B: KEY=400 0 0 0 0 0
";

    #[test]
    fn a_keypad_is_found_and_buttons_and_touch_panels_are_not() {
        assert_eq!(keyboards_in(DEVICES), ["USB Keypad", "Numeric Keypad"]);
        assert!(keyboards_in("").is_empty());
    }
}
