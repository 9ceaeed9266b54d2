// The spec's facts (through the client's generated module), in the CLI's words.
import { DEFAULT_REGION, ID_LENGTHS, REGIONS } from "@meeting-control/client/facts";

export { DEFAULT_REGION, REGIONS };

/** The regions `--region` takes, the default first. */
export const REGION_NAMES = Object.keys(REGIONS) as (keyof typeof REGIONS)[];

/** "<min> to <max> characters": an ID's lengths as the spec gives them. */
export function idLength(field: keyof typeof ID_LENGTHS) {
  const { min, max } = ID_LENGTHS[field];
  return max === undefined ? `${min} or more characters` : `${min} to ${max} characters`;
}

/** What `--conference` takes, for the help and the usage errors. */
export const CONFERENCE_ID = `conference ID (${idLength("conferenceID")}; not the VMR ID)`;
