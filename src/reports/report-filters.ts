/** What a report is narrowed to, already resolved to ids (repositories take this shape). */
export interface ReportFilter {
  /** First day included (ISO date). */
  from: string;
  /** The day after the last one included (ISO date): timestamps compare below it. */
  until: string;
  locationId?: number;
  category?: string;
  supplierId?: number;
  channelId?: number;
}
