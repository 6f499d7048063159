/** The platform's initial review: due 2 working days after submission. */
export const PLATFORM_REVIEW_WORKING_DAYS = 2;

/** The provincial bureau's review: due 20 working days after it starts. */
export const BUREAU_REVIEW_WORKING_DAYS = 20;

/** The 12381 SMS code is valid 24 hours of wall-clock time, working day or not. */
export const SMS_VERIFICATION_WINDOW_HOURS = 24;
export const SMS_VERIFICATION_WINDOW_MS = SMS_VERIFICATION_WINDOW_HOURS * 3_600_000;
