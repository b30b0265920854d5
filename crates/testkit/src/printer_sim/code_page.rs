//! Text bytes as a thermal printer prints them under the code page chosen with `ESC t`.

const PC437_HIGH: &str = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{a0}";
const PC850_HIGH: &str = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒáíóúñÑªº¿®¬½¼¡«»░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐└┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈıÍÎÏ┘┌█▄¦Ì▀ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u{ad}±‗¾¶§÷¸°¨·¹³²■\u{a0}";
const CP1252_80_9F: &str = "€\u{fffd}‚ƒ„…†‡ˆ‰Š‹Œ\u{fffd}Ž\u{fffd}\u{fffd}‘’“”•–—˜™š›œ\u{fffd}žŸ";

/// A text byte as the printer would print it with code page `page` (ESC t numbering).
pub(super) fn char_for(page: u8, byte: u8) -> char {
    if byte < 0x80 {
        return char::from(byte);
    }
    let high = usize::from(byte - 0x80);
    let from = |table: &str, index: usize| table.chars().nth(index).unwrap_or('\u{fffd}');
    match page {
        0 => from(PC437_HIGH, high),
        2 => from(PC850_HIGH, high),
        19 if byte == 0xD5 => '€',
        19 => from(PC850_HIGH, high),
        16 if byte < 0xA0 => from(CP1252_80_9F, high),
        16 => char::from(byte),
        _ => '\u{fffd}',
    }
}
