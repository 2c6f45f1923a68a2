import type { Response } from 'express';

/**
 * Error body of api.partnercenter.microsoft.com (the webhook API):
 * `{"code":…,"description":"…","data":[],"source":"PartnerFD"}`.
 */
export function sendWebhookError(
  res: Response,
  status: number,
  code: number,
  description: string,
): void {
  res.status(status).json({ code, description, data: [], source: 'PartnerFD' });
}
