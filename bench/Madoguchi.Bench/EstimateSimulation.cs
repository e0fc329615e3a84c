using Madoguchi.Web.Features.Counters;

namespace Madoguchi.Bench;

/// <summary>
/// How good the wait estimate is: simulated office days (arrivals by hour, log-normal service times, a few counters)
/// run through the app's own estimator (<see cref="Queue.Estimate"/>) at the moment each ticket is issued, and
/// compared with the wait that ticket then had.
/// </summary>
internal static class EstimateSimulation
{
    private sealed record Day(string Name, double[] ArrivalsPerHour, int Counters, double MeanMinutes, double Spread);

    public static int Run()
    {
        Day[] days =
        [
            // 08:30–17:00; hourly arrival rates for one service (e.g. 転入・転出), as in an ordinary month and at the March peak.
            new("ordinary weekday", [10, 14, 12, 8, 10, 12, 10, 8, 4], 2, 12, 0.5),
            new("Monday after a holiday", [22, 24, 18, 12, 14, 16, 12, 10, 6], 3, 12, 0.5),
            new("late-March peak", [30, 34, 30, 20, 24, 26, 22, 16, 8], 3, 15, 0.6),
        ];
        Console.WriteLine("Wait estimates on simulated days (100 days each); estimate made when the ticket is issued, error against the real wait.");
        Console.WriteLine($"{"day",-24} {"tickets",8} {"mean wait",10} {"MAE min",8} {"median err",11} {"in range",9} {"rel. error",11}");
        foreach (var day in days)
        {
            var random = new Random(7);
            var errors = new List<double>();
            var waits = new List<double>();
            var inRange = 0;
            for (var repeat = 0; repeat < 100; repeat++)
            {
                Simulate(day, random, (estimate, actual) =>
                {
                    errors.Add(Math.Abs(estimate.Minutes - actual));
                    waits.Add(actual);
                    if (actual >= estimate.Low - 1 && actual <= estimate.High + 1) inRange++;
                });
            }
            errors.Sort();
            var mae = errors.Average();
            Console.WriteLine($"{day.Name,-24} {errors.Count,8} {waits.Average(),9:0.0}m {mae,8:0.0} {errors[errors.Count / 2],10:0.0}m {100.0 * inRange / errors.Count,8:0}% {mae / Math.Max(1, waits.Average()),10:0.00}");
        }
        return 0;
    }

    /// <summary>One day of one service: first come, first served at <c>Counters</c> counters.</summary>
    private static void Simulate(Day day, Random random, Action<WaitEstimate, double> observe)
    {
        var arrivals = new List<double>();
        for (var hour = 0; hour < day.ArrivalsPerHour.Length; hour++)
        {
            var t = hour * 60.0;
            while (true)
            {
                t += -Math.Log(1 - random.NextDouble()) * 60 / day.ArrivalsPerHour[hour];
                if (t >= (hour + 1) * 60) break;
                arrivals.Add(t);
            }
        }
        var free = new double[day.Counters];
        var calls = new double[arrivals.Count];
        var finishes = new double[arrivals.Count];
        var durations = new double[arrivals.Count];
        for (var i = 0; i < arrivals.Count; i++)
        {
            // Log-normal service time with the day's mean.
            var sigma = day.Spread;
            durations[i] = Math.Exp(Math.Log(day.MeanMinutes) - sigma * sigma / 2 + sigma * Gaussian(random));
            var counter = Array.IndexOf(free, free.Min());
            calls[i] = Math.Max(arrivals[i], free[counter]);
            finishes[i] = calls[i] + durations[i];
            free[counter] = finishes[i];
        }
        for (var i = 0; i < arrivals.Count; i++)
        {
            var now = arrivals[i];
            var ahead = Enumerable.Range(0, i).Count(j => calls[j] > now);
            // What the app knows at that moment: today's last 30 finished services.
            var measured = Enumerable.Range(0, i).Where(j => finishes[j] <= now).OrderByDescending(j => finishes[j]).Take(30).Select(j => durations[j]).ToList();
            var estimate = Queue.Estimate(ahead, day.Counters, measured, (int)day.MeanMinutes);
            observe(estimate, calls[i] - now);
        }
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
