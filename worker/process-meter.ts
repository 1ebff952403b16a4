/** CPU (% of one core) and RSS of this process since the previous sample. */
export class ProcessMeter {
  private lastCpu = process.cpuUsage();
  private lastAt = performance.now();

  sample(): { cpuPercent: number; rssMb: number } {
    const cpu = process.cpuUsage(this.lastCpu);
    const now = performance.now();
    const wallMs = Math.max(1, now - this.lastAt);
    this.lastCpu = process.cpuUsage();
    this.lastAt = now;
    const cpuPercent = ((cpu.user + cpu.system) / 1000 / wallMs) * 100;
    return {
      cpuPercent: Math.round(cpuPercent * 10) / 10,
      rssMb: Math.round((process.memoryUsage.rss() / 1048576) * 10) / 10,
    };
  }
}
