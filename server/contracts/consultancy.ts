// Contracts of the consultancy settings: the zod schema of a consultancy's branding as the API answers
// it, shared by the route and the settings page.
import { z } from 'zod';

export const brandingSchema = z
  .object({
    consultancyId: z.uuid(),
    name: z.string(),
    accentColor: z.string().regex(/^#[0-9a-fA-F]{6}$/),
    logo: z
      .object({ contentType: z.enum(['image/png', 'image/jpeg']), bytes: z.number().int(), url: z.string() })
      .nullable(),
  })
  .meta({ id: 'Branding' });

export type Branding = z.infer<typeof brandingSchema>;
