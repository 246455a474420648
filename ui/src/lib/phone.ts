// A support person's phone number, as typed in the journal, as a tel: or sms: address: the plus
// and the digits only (spaces, dashes and brackets dropped), the form Rust's open_link accepts.

const dialable = (phone: string) => phone.replace(/[^+\d]/g, '');

export const telUri = (phone: string) => `tel:${dialable(phone)}`;
export const smsUri = (phone: string) => `sms:${dialable(phone)}`;
