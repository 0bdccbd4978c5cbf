/** What the path-check channels answer, so a dialog can show the problem inline before any job starts. */
export interface PathCheck {
  ok: boolean;
  /** The absolute path that was checked. */
  path: string;
  /** What was found ("Folder with 2 sub-folders") or what is wrong with it ("… is not empty"). */
  message: string;
}
