//! Figures as the IKM report and its CSV write them: Indonesian, a comma before the decimals
//! (`88,00`, `3,50`, `0,385`), as PUEBI writes decimals and as a spreadsheet set to Indonesian
//! reads them. Whole numbers (respondents, sums) get no thousands dot: `1280` is read right
//! by a spreadsheet in any language, while `1.280` would be 1.28 in an English one.

use mpp_core::survey::index::{Hundredths, Thousandths};

/// Two decimals: `88,00`.
pub fn hundredths(value: Hundredths) -> String {
    fixed(value.0, 2)
}

/// Three decimals: `0,385`.
pub fn thousandths(value: Thousandths) -> String {
    fixed(value.0, 3)
}

fn fixed(scaled: u32, places: usize) -> String {
    let unit = 10u32.pow(places as u32);
    format!("{},{:0places$}", scaled / unit, scaled % unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_follow_a_comma_with_their_zeros() {
        assert_eq!(hundredths(Hundredths(8800)), "88,00");
        assert_eq!(hundredths(Hundredths(8889)), "88,89");
        assert_eq!(hundredths(Hundredths(350)), "3,50");
        assert_eq!(hundredths(Hundredths(5)), "0,05");
        assert_eq!(hundredths(Hundredths(10000)), "100,00");
        assert_eq!(thousandths(Thousandths(385)), "0,385");
        assert_eq!(thousandths(Thousandths(7)), "0,007");
        assert_eq!(thousandths(Thousandths(1040)), "1,040");
    }

    #[test]
    fn the_comma_stands_where_the_cores_point_stands() {
        for value in [0, 1, 99, 100, 305, 9999, 12_345] {
            let point = Hundredths(value).to_string();
            assert_eq!(hundredths(Hundredths(value)), point.replace('.', ","));
            let point = Thousandths(value).to_string();
            assert_eq!(thousandths(Thousandths(value)), point.replace('.', ","));
        }
    }
}
