// Where a JSON text goes wrong, for people typing raw parameters. JSON.parse says whether the
// text is valid, but only some engines put a position in its message (WebKitGTK's does not),
// so this scanner follows RFC 8259 just far enough to find the first offending character.

export interface JsonSyntaxError {
  /** 0-based offset of the first character that cannot continue valid JSON. */
  offset: number;
  line: number;
  column: number;
}

class Stop {
  readonly offset: number;
  constructor(offset: number) {
    this.offset = offset;
  }
}

function firstErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw new Stop(i);
  };
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const expect = (c: string) => (text[i] === c ? i++ : fail());
  const digits = () => {
    if (!/[0-9]/.test(text[i] ?? "")) fail();
    while (/[0-9]/.test(text[i] ?? "")) i++;
  };
  const word = (w: string) => {
    for (const c of w) expect(c);
  };
  const string = () => {
    expect('"');
    for (;;) {
      const c = text[i];
      if (c === undefined || c < " ") fail();
      if (c === '"') return void i++;
      if (c !== "\\") {
        i++;
        continue;
      }
      i++;
      if (text[i] === "u") {
        i++;
        for (let k = 0; k < 4; k++) {
          if (!/[0-9a-fA-F]/.test(text[i] ?? "")) fail();
          i++;
        }
      } else if ('"\\/bfnrt'.includes(text[i] ?? "x")) i++;
      else fail();
    }
  };
  const number = () => {
    if (text[i] === "-") i++;
    if (text[i] === "0") i++;
    else digits();
    if (text[i] === ".") {
      i++;
      digits();
    }
    if (text[i] === "e" || text[i] === "E") {
      i++;
      if (text[i] === "+" || text[i] === "-") i++;
      digits();
    }
  };
  const members = (close: string, member: () => void) => {
    i++;
    space();
    if (text[i] === close) return void i++;
    for (;;) {
      member();
      space();
      if (text[i] === close) return void i++;
      expect(",");
      space();
    }
  };
  const value = (): void => {
    const c = text[i];
    if (c === "{")
      members("}", () => {
        string();
        space();
        expect(":");
        space();
        value();
      });
    else if (c === "[") members("]", value);
    else if (c === '"') string();
    else if (c === "t") word("true");
    else if (c === "f") word("false");
    else if (c === "n") word("null");
    else if (c === "-" || /[0-9]/.test(c ?? "")) number();
    else fail();
  };
  try {
    space();
    value();
    space();
    if (i < text.length) fail();
  } catch (e) {
    if (e instanceof Stop) return e.offset;
    throw e;
  }
  return text.length;
}

/** The position of the first syntax error in `text`; call it once JSON.parse has refused `text`. */
export function locateJsonError(text: string): JsonSyntaxError {
  const offset = firstErrorOffset(text);
  const before = text.slice(0, offset).split("\n");
  return { offset, line: before.length, column: before[before.length - 1].length + 1 };
}
