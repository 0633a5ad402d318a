// Reading event names: PascalCase words, past tense, commands, vague verbs, personal-data field names.

/** `UserAddressChanged` → ['User', 'Address', 'Changed']; acronyms stay whole (`HTTPRequestSent` → HTTP, Request, Sent). */
export function words(name: string): string[] {
  return name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+/g) ?? [];
}

export const isPascalCase = (name: string) => /^[A-Z][a-zA-Z0-9]*$/.test(name) && /[a-z]/.test(name);

/** Past participles that do not end in -ed. */
const IRREGULAR_PAST = new Set([
  'Begun', 'Bought', 'Broken', 'Brought', 'Built', 'Caught', 'Chosen', 'Cut', 'Done', 'Drawn', 'Driven', 'Fed', 'Found',
  'Frozen', 'Given', 'Gone', 'Grown', 'Held', 'Hidden', 'Hit', 'Hung', 'Kept', 'Known', 'Laid', 'Led', 'Left', 'Lent',
  'Lost', 'Made', 'Met', 'Paid', 'Put', 'Quit', 'Read', 'Rebuilt', 'Reset', 'Resent', 'Risen', 'Run', 'Said', 'Seen',
  'Sent', 'Set', 'Shaken', 'Shown', 'Shut', 'Sold', 'Spent', 'Split', 'Spoken', 'Stolen', 'Struck', 'Sworn', 'Taken',
  'Taught', 'Thrown', 'Told', 'Undone', 'Upheld', 'Withdrawn', 'Won', 'Written', 'Overridden', 'Forgotten', 'Forgiven',
]);

export function isPastTense(word: string): boolean {
  return /[a-z]ed$/.test(word) || IRREGULAR_PAST.has(word);
}

/** Imperative verbs that make a name a command (`CreateOrder`) rather than a fact (`OrderCreated`). */
const COMMAND_VERBS = new Set([
  'Add', 'Approve', 'Assign', 'Calculate', 'Cancel', 'Change', 'Charge', 'Close', 'Create', 'Delete', 'Do', 'Execute',
  'Get', 'Handle', 'Make', 'Modify', 'Notify', 'Open', 'Place', 'Process', 'Publish', 'Register', 'Reject', 'Remove',
  'Run', 'Save', 'Send', 'Set', 'Ship', 'Start', 'Stop', 'Submit', 'Update', 'Upsert', 'Validate', 'Refund', 'Book',
]);

export const isCommandVerb = (word: string) => COMMAND_VERBS.has(word);

/** Verbs that say something changed without saying what. */
export const VAGUE_VERBS = new Set(['Updated', 'Changed', 'Modified', 'Edited', 'Saved', 'Altered', 'Processed', 'Handled']);

/** Field names that usually hold personal data, compared without case, `_` or `-`. */
const PERSONAL_DATA = [
  'email', 'emailaddress', 'phone', 'phonenumber', 'mobile', 'address', 'street', 'streetaddress', 'postcode', 'postalcode',
  'zip', 'zipcode', 'birthdate', 'dateofbirth', 'dob', 'birthday', 'ssn', 'socialsecuritynumber', 'nationalid', 'passport',
  'passportnumber', 'firstname', 'lastname', 'fullname', 'surname', 'givenname', 'familyname', 'iban', 'creditcard',
  'cardnumber', 'ipaddress', 'taxid', 'driverslicense', 'licensenumber',
];

export function looksPersonal(fieldName: string): boolean {
  const key = fieldName.toLowerCase().replace(/[_-]/g, '');
  return PERSONAL_DATA.some((p) => key === p || key.endsWith(p));
}

/** `OrderLine` → `ORDER_LINE` (Protobuf enum value prefix). */
export const upperSnake = (name: string) => words(name).map((w) => w.toUpperCase()).join('_');
