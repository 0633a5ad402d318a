// Reading event names: PascalCase words, past tense, commands, vague verbs, personal-data field names.

/** `UserAddressChanged` → ['User', 'Address', 'Changed']; acronyms stay whole (`HTTPRequestSent` → HTTP, Request, Sent). */
export function words(name: string): string[] {
  return name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+/g) ?? [];
}

/** Words as they would stand in a PascalCase name: `USER_REGISTERED` and `userRegistered` → ['User', 'Registered']. */
export function titleWords(name: string): string[] {
  const shouting = name === name.toUpperCase();
  return words(name).map((w) => (shouting || /^[a-z]/.test(w) ? `${w.charAt(0).toUpperCase()}${w.slice(1).toLowerCase()}` : w));
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

/** Words ending in -ed that are not past participles. */
const NOT_PAST = new Set(['Bed', 'Bleed', 'Breed', 'Deed', 'Embed', 'Feed', 'Greed', 'Hundred', 'Need', 'Red', 'Reed', 'Sacred', 'Seed', 'Shed', 'Speed', 'Weed']);

export function isPastTense(word: string): boolean {
  return (/[a-z]ed$/.test(word) && !NOT_PAST.has(word)) || IRREGULAR_PAST.has(word);
}

/** Imperative verbs that make a name a command (`CreateOrder`), with the participle that states the fact (`OrderCreated`). */
const COMMAND_VERBS: Record<string, string> = {
  Add: 'Added', Approve: 'Approved', Assign: 'Assigned', Book: 'Booked', Calculate: 'Calculated', Cancel: 'Canceled',
  Change: 'Changed', Charge: 'Charged', Close: 'Closed', Create: 'Created', Delete: 'Deleted', Do: 'Done',
  Execute: 'Executed', Get: 'Retrieved', Handle: 'Handled', Make: 'Made', Modify: 'Modified', Notify: 'Notified',
  Open: 'Opened', Place: 'Placed', Process: 'Processed', Publish: 'Published', Refund: 'Refunded', Register: 'Registered',
  Reject: 'Rejected', Remove: 'Removed', Run: 'Completed', Save: 'Saved', Send: 'Sent', Set: 'Set', Ship: 'Shipped',
  Start: 'Started', Stop: 'Stopped', Submit: 'Submitted', Update: 'Updated', Upsert: 'Upserted', Validate: 'Validated',
};

export const isCommandVerb = (word: string) => word in COMMAND_VERBS;

/** The past participle of a command verb (`Send` → `Sent`). */
export const participleOf = (verb: string) => COMMAND_VERBS[verb] ?? `${verb}${verb.endsWith('e') ? 'd' : 'ed'}`;

/** Verbs that say something changed without saying what. */
export const VAGUE_VERBS = new Set(['Updated', 'Changed', 'Modified', 'Edited', 'Saved', 'Altered', 'Processed', 'Handled', 'Upserted']);

/** Field names that hold personal data, compared without case, `_` or `-`. */
const PERSONAL_DATA = new Set([
  'email', 'emailaddress', 'phone', 'phonenumber', 'mobile', 'mobilenumber', 'address', 'street', 'streetaddress',
  'postcode', 'postalcode', 'zip', 'zipcode', 'birthdate', 'dateofbirth', 'dob', 'birthday', 'ssn', 'socialsecuritynumber',
  'nationalid', 'passport', 'passportnumber', 'firstname', 'lastname', 'fullname', 'surname', 'givenname', 'familyname',
  'iban', 'creditcard', 'cardnumber', 'ipaddress', 'taxid', 'driverslicense', 'licensenumber',
]);
/** Endings that mark personal data after a qualifier (`customerEmail`, `billingAddress`, `contactPhone`). */
const PERSONAL_SUFFIXES = ['email', 'emailaddress', 'phone', 'phonenumber', 'streetaddress', 'postaladdress', 'homeaddress', 'billingaddress', 'shippingaddress', 'deliveryaddress', 'birthdate', 'dateofbirth', 'firstname', 'lastname', 'fullname', 'surname'];
/** Addresses that are not where a person lives. */
const NOT_PERSONAL = /(mac|wallet|contract|server|host|network|memory|base|return)address$|microphone$/;

export function looksPersonal(fieldName: string): boolean {
  const key = fieldName.toLowerCase().replace(/[_-]/g, '');
  if (NOT_PERSONAL.test(key)) return false;
  return PERSONAL_DATA.has(key) || PERSONAL_SUFFIXES.some((p) => key.endsWith(p));
}

/** `OrderLine` → `ORDER_LINE` (Protobuf enum value prefix). */
export const upperSnake = (name: string) => words(name).map((w) => w.toUpperCase()).join('_');
