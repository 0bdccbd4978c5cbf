/** A numbered schema step; `version` must equal its position (1-based) in the migrations list. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
