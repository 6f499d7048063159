import { Controller, Get, UseGuards } from '@nestjs/common';
import { AuthGuard } from '../../services/auth/auth.guard';
import { Roles } from '../../services/auth/roles.decorator';

/**
 * The API benchmark's baselines, served by the same NestJS application as the real routes (same
 * middleware, filters and metrics): a route that answers a constant, and the same behind the bearer
 * token check. Only the bench's own app module mounts this; production never does.
 */
@Controller('bench')
export class TrivialController {
  @Get('trivial')
  trivial(): { ok: true } {
    return { ok: true };
  }

  @Get('trivial-auth')
  @UseGuards(AuthGuard)
  @Roles('auditor', 'platform', 'bureau')
  trivialWithAuth(): { ok: true } {
    return { ok: true };
  }
}
