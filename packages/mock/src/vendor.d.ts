// The two media-type parsers Prism's engine uses (see media-type.ts); neither ships its types.
declare module "whatwg-mimetype" {
  export default class MIMEType {
    static parse(value: string): MIMEType | null;
    readonly essence: string;
  }
}
declare module "content-type" {
  export function parse(value: string): { type: string; parameters: Record<string, string> };
}
